package dev.gambiarra.proxy;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.timeout.ReadTimeoutHandler;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.gambiarra.participants.EndpointPolicy;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.web.RequestIds;

/**
 * The pooled Reactor Netty client that talks to participants, with the three proxy timeouts applied at the
 * transport: connect, first byte (response headers) and idle gap between body chunks.
 */
@Component
class UpstreamClient implements DisposableBean {

	private static final String ACCEPT_STREAM = MediaType.TEXT_EVENT_STREAM_VALUE + ", "
			+ MediaType.APPLICATION_JSON_VALUE;

	private final ConnectionProvider pool;

	private final HttpClient httpClient;

	private final WebClient webClient;

	UpstreamClient(ProxyProperties properties, EndpointPolicy endpoints) {
		this.pool = ConnectionProvider.builder("gambiarra-upstream")
			.maxConnections(properties.maxConnections())
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(properties.connectTimeout().plusSeconds(5))
			.maxIdleTime(properties.maxIdleTime())
			.build();
		long idleMillis = properties.idleTimeout().toMillis();
		AddressGuard guard = new AddressGuard(endpoints);
		this.httpClient = HttpClient.create(this.pool)
			.doOnChannelInit((observer, channel, remote) -> channel.pipeline().addFirst(AddressGuard.NAME, guard))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
			.responseTimeout(properties.firstByteTimeout())
			.doOnResponse((response, connection) -> connection
				.addHandlerLast("gambiarra-idle", new ReadTimeoutHandler(idleMillis, TimeUnit.MILLISECONDS)));
		// A plain builder on purpose: Boot's adds an observation per exchange (http.client.requests tagged by each
		// participant's URI), which costs more than the relay itself; the hub measures upstream calls in metrics/.
		this.webClient = WebClient.builder().clientConnector(new ReactorClientHttpConnector(this.httpClient)).build();
	}

	/**
	 * A POST to {@code {endpoint}/v1/{operation}} of {@code participant} with only the hub's own headers: JSON in,
	 * SSE or JSON out, the request id, and the participant's api key if it registered one. Nothing of the client's
	 * request (its Authorization, a room password) is ever passed on.
	 */
	WebClient.RequestBodySpec post(Participant participant, String operation, String requestId, boolean stream) {
		return this.webClient.post()
			.uri(URI.create(participant.endpoint() + "/v1/" + operation))
			.headers((headers) -> {
				headers.set(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
				headers.set(HttpHeaders.ACCEPT, stream ? ACCEPT_STREAM : MediaType.APPLICATION_JSON_VALUE);
				headers.set(RequestIds.HEADER, requestId);
				if (participant.apiKey() != null) {
					headers.setBearerAuth(participant.apiKey());
				}
			});
	}

	/**
	 * The relay's call: the same POST and headers as {@link #post}, sent straight on the Reactor Netty client with
	 * {@code payload} as it is (its {@code Content-Length}, no encoder, no copy), so the answer's buffers can be
	 * passed on as the connection reads them. The hot path, hence no WebClient layer in between.
	 */
	HttpClient.ResponseReceiver<?> relay(Participant participant, String operation, String requestId, boolean stream,
			byte[] payload) {
		return this.httpClient.post()
			.uri(URI.create(participant.endpoint() + "/v1/" + operation))
			.send((request, outbound) -> {
				request.header(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
					.header(HttpHeaderNames.ACCEPT, stream ? ACCEPT_STREAM : MediaType.APPLICATION_JSON_VALUE)
					.header(RequestIds.HEADER, requestId)
					.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(payload.length));
				if (participant.apiKey() != null) {
					request.header(HttpHeaderNames.AUTHORIZATION, "Bearer " + participant.apiKey());
				}
				// A new wrapper per subscription: the client may send again on a fresh connection.
				return outbound.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(payload)));
			});
	}

	@Override
	public void destroy() {
		this.pool.dispose();
	}

}
