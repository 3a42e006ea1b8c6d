package dev.gambiarra.cli;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The one-shot client commands.
 *
 * @param hub hub URL used when a command has no {@code --hub}
 * @param connectTimeout how long to wait for a TCP connection to the hub or an LLM endpoint
 * @param requestTimeout how long a plain request may take (streams are bounded by {@code streamTimeout})
 * @param streamTimeout how long a streamed chat answer may take in total
 * @param heartbeatInterval how often {@code join} reports to the hub (the hub expects 10 s)
 * @param monitorRefresh how often {@code monitor} redraws between events
 * @param monitorIdleTimeout how long {@code monitor} waits for an event or heartbeat (the hub sends one every
 * 15 s) before it reports the stream lost
 */
@ConfigurationProperties("gambiarra.cli")
record CliProperties(@DefaultValue("http://localhost:3000") String hub, @DefaultValue("5s") Duration connectTimeout,
		@DefaultValue("30s") Duration requestTimeout, @DefaultValue("10m") Duration streamTimeout,
		@DefaultValue("10s") Duration heartbeatInterval, @DefaultValue("2s") Duration monitorRefresh,
		@DefaultValue("60s") Duration monitorIdleTimeout) {

}
