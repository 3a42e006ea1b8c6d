package dev.gambiarra.proxy;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The reactive proxy to participants.
 *
 * @param connectTimeout opening a TCP connection to a participant
 * @param firstByteTimeout from sending the request to the upstream's response headers; generous, since a model may
 * have to load first
 * @param idleTimeout longest silence between two chunks of an upstream response
 * @param maxConnections pooled connections to each participant, split evenly over the event loops (each loop has
 * its own pool, so a relay's upstream connection lives on the loop that serves its client)
 * @param maxIdleTime a pooled connection unused this long is closed
 * @param bodyMemory heap for request bodies being relayed, all requests together (each body counts twice: as
 * received and as sent); a request beyond it gets 503 with {@code Retry-After}, one body alone always passes
 */
@Validated
@ConfigurationProperties("gambiarra.proxy")
public record ProxyProperties(@DefaultValue("5s") Duration connectTimeout,
		@DefaultValue("300s") Duration firstByteTimeout, @DefaultValue("120s") Duration idleTimeout,
		@DefaultValue("2048") @Min(1) int maxConnections, @DefaultValue("60s") Duration maxIdleTime,
		@DefaultValue("32MB") DataSize bodyMemory) {

}
