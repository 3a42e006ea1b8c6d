package dev.gambiarra.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;

import dev.gambiarra.rooms.FailedAttempts;
import dev.gambiarra.rooms.RoomAccess;

/**
 * The {@code /agent} WebSocket: reads text frames in order and hands each to {@link AgentService}; writes what the
 * connection queues. Closing either side ends both; the session outlives the socket until its idle timeout.
 */
class AgentSocketHandler implements WebSocketHandler {

	private final AgentService service;

	private final AgentProperties properties;

	private final JsonMapper json;

	AgentSocketHandler(AgentService service, AgentProperties properties, JsonMapper json) {
		this.service = service;
		this.properties = properties;
		this.json = json;
	}

	@Override
	public Mono<Void> handle(WebSocketSession socket) {
		Connection connection = new Connection(socket.getId(), FailedAttempts.clientOf(socket.getHandshakeInfo().getRemoteAddress()),
				this.properties.outboundBuffer());
		Mono<Void> output = socket.send(connection.outbound().map(socket::textMessage))
			.then(Mono.defer(() -> socket.close(connection.closeStatus())));
		if (!authorized(socket.getHandshakeInfo())) {
			connection.send(this.json.writeValueAsString(Wire.message("error", "code", "unauthorized", "message",
					"Agent token required", "fatal", true)));
			connection.close(CloseStatus.POLICY_VIOLATION.withReason("unauthorized"));
			return output;
		}
		connection.startTimer(Schedulers.parallel().schedule(() -> {
			if (connection.session() == null) {
				connection.send(this.json.writeValueAsString(Wire.message("error", "code", "start_timeout", "message",
						"No session.start or session.resume in time", "fatal", true)));
				connection.close(CloseStatus.POLICY_VIOLATION.withReason("start_timeout"));
			}
		}, this.properties.startTimeout().toMillis(), TimeUnit.MILLISECONDS));
		Mono<Void> input = socket.receive()
			.map((message) -> (message.getType() == WebSocketMessage.Type.TEXT) ? message.getPayloadAsText() : "")
			.concatMap((text) -> text.isEmpty() ? this.service.handle(connection, "not json")
					: this.service.handle(connection, text))
			.then()
			.doFinally((signal) -> {
				connection.close(CloseStatus.NORMAL);
				this.service.closed(connection);
			});
		return Mono.when(input, output);
	}

	boolean authorized(HandshakeInfo handshake) {
		String token = this.properties.token();
		if (token == null || token.isBlank()) {
			return true;
		}
		String offered = RoomAccess.bearer(handshake.getHeaders());
		if (offered == null) {
			offered = UriComponentsBuilder.fromUri(handshake.getUri()).build().getQueryParams().getFirst("token");
		}
		return offered != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
				offered.getBytes(StandardCharsets.UTF_8));
	}

}
