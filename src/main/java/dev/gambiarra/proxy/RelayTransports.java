package dev.gambiarra.proxy;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.tunnel.TunnelOwners;
import dev.gambiarra.tunnel.Tunnels;

/**
 * The transport of each participant: its tunnel if it joined with {@code tunnel: true} (the hub then never dials
 * anything for it), else the pooled HTTP client to its endpoint. A tunnel open on another hub of the club is reached
 * through that hub ({@link HubRelayClient}), which only transports: the relay here is the same. All apply the same
 * {@code gambiarra.proxy.*} timeouts.
 */
@Component
class RelayTransports implements RelayTransport {

	private final UpstreamClient upstream;

	private final Tunnels tunnels;

	private final ProxyProperties properties;

	private final TunnelOwners owners;

	private final HubRelayClient hubs;

	RelayTransports(UpstreamClient upstream, Tunnels tunnels, ProxyProperties properties, TunnelOwners owners,
			HubRelayClient hubs) {
		this.upstream = upstream;
		this.tunnels = tunnels;
		this.properties = properties;
		this.owners = owners;
		this.hubs = hubs;
	}

	@Override
	public Mono<Void> relay(Room room, Participant participant, String operation, String requestId, boolean stream,
			byte[] payload, Answer answer) {
		if (participant.isTunnel()) {
			String owner = this.tunnels.isConnected(room.code(), participant.id()) ? null
					: this.owners.elsewhere(room.code(), participant.id());
			if (owner != null) {
				return this.hubs.relay(owner, room.code(), participant.id(), operation, requestId, stream, payload,
						answer);
			}
			return this.tunnels.relay(room.code(), participant.id(), operation, requestId, stream, payload,
					this.properties.firstByteTimeout(), this.properties.idleTimeout(), answer::answer);
		}
		return this.upstream.relay(participant, operation, requestId, stream, payload, answer);
	}

}
