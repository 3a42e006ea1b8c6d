package dev.gambiarra.tunnel;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The tunnel participants open to the hub (docs/tunnel-protocol.md).
 *
 * @param maxFrameSize largest WebSocket message either side may send; a larger one closes the tunnel (1009)
 * @param streamWindow answer bytes a participant may send on one stream before the hub grants more
 * @param pingInterval how often the hub pings a tunnel; each pong counts as a heartbeat
 * @param missedPings ping intervals without a word from the participant after which the hub closes the tunnel
 * itself (a half-open connection: the participant's machine or network went away without a close)
 */
@ConfigurationProperties("gambiarra.tunnel")
public record TunnelProperties(@DefaultValue("256KB") DataSize maxFrameSize,
		@DefaultValue("256KB") DataSize streamWindow, @DefaultValue("10s") Duration pingInterval,
		@DefaultValue("3") int missedPings) {

}
