package dev.gambiarra.tunnel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import org.springframework.web.util.UriUtils;

import dev.gambiarra.rooms.FailedAttempts;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomAccess;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.web.HubException;

/**
 * {@code GET /rooms/{code}/participants/{id}/tunnel}: checks the participant's own token before the upgrade (errors
 * in the room-route shape), then serves the socket. Its own WebSocket service, so the tunnel's frame limit is its
 * own ({@code gambiarra.tunnel.max-frame-size}, 1009 beyond) whatever the agent's socket allows.
 */
final class TunnelSocketHandler implements WebHandler {

	private static final Logger logger = LoggerFactory.getLogger(TunnelSocketHandler.class);

	private final RoomService rooms;

	private final Tunnels tunnels;

	private final JsonMapper json;

	private final int window;

	private final Duration pingInterval;

	/** Silence (no pong, no frame) after which the hub closes a tunnel as half-open. */
	private final long silenceLimitNanos;

	private final FailedAttempts failures;

	private final WebSocketService upgrades;

	TunnelSocketHandler(RoomService rooms, Tunnels tunnels, JsonMapper json, TunnelProperties properties,
			FailedAttempts failures) {
		this.rooms = rooms;
		this.tunnels = tunnels;
		this.json = json;
		this.failures = failures;
		this.window = (int) properties.streamWindow().toBytes();
		this.pingInterval = properties.pingInterval();
		this.silenceLimitNanos = properties.pingInterval().toNanos() * Math.max(1, properties.missedPings());
		int maxFrame = (int) properties.maxFrameSize().toBytes();
		this.upgrades = new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
				() -> WebsocketServerSpec.builder().maxFramePayloadLength(maxFrame)));
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		// /rooms/{code}/participants/{id}/tunnel, as the handler mapping's pattern guarantees.
		String[] segments = exchange.getRequest().getPath().pathWithinApplication().value().split("/");
		String code = UriUtils.decode(segments[2], StandardCharsets.UTF_8);
		String participantId = UriUtils.decode(segments[4], StandardCharsets.UTF_8);
		String token = RoomAccess.bearer(exchange.getRequest());
		return Mono.defer(() -> {
			// A token guesser is throttled like a password guesser: 429 once over the limit, before any lookup.
			if (token != null) {
				this.failures.check(exchange.getRequest());
			}
			return this.rooms.resolve(code);
		})
			.flatMap((room) -> this.rooms.resolveParticipant(room, participantId).flatMap((participant) -> {
				if (!RoomService.isParticipantToken(participant, token)) {
					if (token != null) {
						this.failures.recordFailure(exchange.getRequest());
					}
					return Mono.error(new HubException(HttpStatus.UNAUTHORIZED, "Invalid participant token",
							"invalid_participant_token"));
				}
				if (!participant.isTunnel()) {
					return Mono.error(new HubException(HttpStatus.CONFLICT,
							"Participant did not join with tunnel: true", "not_a_tunnel_participant"));
				}
				return this.upgrades.handleRequest(exchange, (socket) -> serve(room, participant.id(), socket));
			}));
	}

	private Mono<Void> serve(Room room, String participantId, WebSocketSession socket) {
		TunnelConnection connection = new TunnelConnection((NettyDataBufferFactory) socket.bufferFactory(), this.json,
				this.window);
		this.tunnels.attach(room.code(), participantId, connection);
		logger.info("Tunnel of participant {} in room {} opened", participantId, room.code());
		Runnable alive = () -> this.rooms.heartbeat(room, participantId)
			.subscribe(null, (gone) -> connection.close(CloseStatus.NORMAL.withReason("participant left")));
		alive.run();
		// A half-open tunnel (the participant's machine or network vanished without a close) answers no ping: after
		// missed-pings intervals of silence the hub closes it itself and stops waiting for its input.
		Sinks.Empty<Void> silent = Sinks.empty();
		Disposable pings = Flux.interval(this.pingInterval).subscribe((tick) -> {
			if (connection.silentNanos() >= this.silenceLimitNanos) {
				logger.info("Tunnel of participant {} in room {} silent for {} ping intervals: closing it", participantId,
						room.code(), this.silenceLimitNanos / this.pingInterval.toNanos());
				connection.close(CloseStatus.GOING_AWAY.withReason("no pong"));
				silent.tryEmitEmpty();
			}
			else {
				connection.ping();
			}
		});
		Mono<Void> output = socket.send(connection.outbound())
			.then(Mono.defer(() -> socket.close(connection.closeStatus())));
		Mono<Void> input = socket.receive()
			.takeUntilOther(silent.asMono())
			.doOnNext((message) -> connection.receive(message, alive))
			.then()
			.onErrorResume((ex) -> {
				logger.info("Tunnel of participant {} in room {} failed: {}", participantId, room.code(),
						ex.toString());
				return Mono.empty();
			})
			.doFinally((signal) -> {
				pings.dispose();
				connection.terminated();
				this.tunnels.detach(room.code(), participantId, connection).filter(Boolean::booleanValue)
					.flatMap((current) -> {
						logger.info("Tunnel of participant {} in room {} closed", participantId, room.code());
						return this.rooms.markOffline(room, participantId);
					})
					.subscribe(null, (ex) -> logger.warn("Participant {} of room {} could not be marked offline: {}",
							participantId, room.code(), ex.toString()));
			});
		return Mono.when(input, output);
	}

}
