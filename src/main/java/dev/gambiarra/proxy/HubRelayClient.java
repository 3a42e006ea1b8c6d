package dev.gambiarra.proxy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

import dev.gambiarra.tunnel.TunnelOwners;

/**
 * Sends a request for a tunnel participant whose tunnel is open on another hub of the club to that hub's internal
 * relay endpoint ({@link HubRelayEndpoint}), and hands its answer on as the connection reads it. The address comes
 * from the shared store, not from a user, so it is not checked by the participant endpoint policy; the call has the
 * {@code gambiarra.proxy.*} timeouts all the same. Failures keep the kinds of a local tunnel: the owner hub
 * unreachable, refusing, or no longer holding the tunnel is a refused connection (nothing reached the participant);
 * a timeout before the answer is a timeout.
 */
@Component
class HubRelayClient implements DisposableBean {

	/** The club's secret, which only hubs of the club know. */
	static final String SECRET_HEADER = "X-Gambiarra-Hub-Secret";

	/** On an answer that came from the participant through the owner hub's tunnel (anything else is a failure). */
	static final String ANSWER_HEADER = "X-Gambiarra-Tunnel-Answer";

	/** On the owner hub's own failures: {@code refused}, {@code timeout} or {@code failed}, the reason in the body. */
	static final String FAILURE_HEADER = "X-Gambiarra-Relay-Failure";

	static final String PATH = "/internal/tunnels/";

	private static final int MAX_REASON = 512;

	private final TunnelOwners owners;

	private final ConnectionProvider pool;

	private final HttpClient client;

	HubRelayClient(ProxyProperties properties, TunnelOwners owners) {
		this.owners = owners;
		this.pool = UpstreamClient.pool("gambiarra-hubs", properties.maxConnections(), properties);
		this.client = UpstreamClient.timed(HttpClient.create(this.pool), properties);
	}

	/** The owner hub's relay of one request over the participant's tunnel, its answer handed to {@code answer}. */
	Mono<Void> relay(String owner, String roomCode, String participantId, String operation, String requestId,
			boolean stream, byte[] payload, RelayTransport.Answer answer) {
		String secret = this.owners.secret();
		if (secret == null) {
			return Mono.error(new ConnectException("no hub secret"));
		}
		String uri = owner + PATH + UriUtils.encodePathSegment(roomCode, StandardCharsets.UTF_8) + "/"
				+ UriUtils.encodePathSegment(participantId, StandardCharsets.UTF_8) + "/v1/" + operation + "?stream="
				+ stream;
		return this.client.post().uri(uri).send((request, outbound) -> {
			UpstreamClient.relayHeaders(requestId, stream, request::header);
			request.header(SECRET_HEADER, secret);
			return UpstreamClient.sendPayload(request, outbound, payload);
		}).response((response, content) -> {
			int status = response.status().code();
			if (response.responseHeaders().contains(ANSWER_HEADER)) {
				return answer.answer(response, content);
			}
			String kind = response.responseHeaders().get(FAILURE_HEADER);
			return content.aggregate()
				.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.flatMap((reason) -> Mono.error(failure(kind, status, reason)));
		}).then();
	}

	/** The owner hub's failure as the local tunnel would have failed. */
	private static Throwable failure(@Nullable String kind, int status, String body) {
		String reason = (body.length() > MAX_REASON) ? body.substring(0, MAX_REASON) : body;
		if ("timeout".equals(kind)) {
			return new TimeoutException(reason.isBlank() ? "no answer from participant within the timeout" : reason);
		}
		if ("failed".equals(kind)) {
			return new IOException(reason.isBlank() ? "participant's tunnel failed" : reason);
		}
		// Refused, a wrong secret (401), an older hub without the endpoint (404): nothing reached the participant.
		return new ConnectException("participant's tunnel is not reachable through its hub (" + status + ")");
	}

	@Override
	public void destroy() {
		this.pool.dispose();
	}

}
