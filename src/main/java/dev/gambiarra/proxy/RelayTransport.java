package dev.gambiarra.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClientResponse;

import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;

/**
 * How one relayed request reaches a participant and its answer comes back: over HTTP to its endpoint
 * ({@link UpstreamClient}), or over the tunnel it opened to the hub. The relay in {@link ProxyService} is the same
 * for both; only this choice differs.
 */
interface RelayTransport {

	/**
	 * Sends {@code payload} to {@code {endpoint}/v1/{operation}} of {@code participant} and hands the answer to
	 * {@code answer}. Failures keep the HTTP client's kinds: a refused connection (nothing was sent), a timeout
	 * before the answer, a read timeout between chunks.
	 */
	Mono<Void> relay(Room room, Participant participant, String operation, String requestId, boolean stream,
			byte[] payload, Answer answer);

	/** What the relay does with the participant's answer. */
	@FunctionalInterface
	interface Answer {

		/** @param content each buffer valid while it is delivered (retain it to keep it), never aggregated */
		Publisher<Void> answer(int status, @Nullable String contentType, @Nullable String contentLength,
				ByteBufFlux content);

		/** An HTTP answer: its status, content type and length, and its body as the connection reads it. */
		default Publisher<Void> answer(HttpClientResponse response, ByteBufFlux content) {
			HttpHeaders headers = response.responseHeaders();
			return answer(response.status().code(), headers.get(HttpHeaderNames.CONTENT_TYPE),
					headers.get(HttpHeaderNames.CONTENT_LENGTH), content);
		}

	}

}
