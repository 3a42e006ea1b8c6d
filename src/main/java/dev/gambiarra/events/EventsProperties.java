package dev.gambiarra.events;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Event streams.
 *
 * @param heartbeat interval of the keep-alive comment on every SSE connection
 * @param subscriberBuffer events buffered for one subscriber that reads slowly; on overflow it is dropped
 * @param maxSubscribers SSE connections the hub holds at once
 */
@Validated
@ConfigurationProperties("gambiarra.events")
record EventsProperties(@DefaultValue("15s") Duration heartbeat, @DefaultValue("256") @Min(1) int subscriberBuffer,
		@DefaultValue("10000") @Min(1) int maxSubscribers) {

}
