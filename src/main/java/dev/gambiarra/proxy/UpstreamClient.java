package dev.gambiarra.proxy;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.concurrent.FastThreadLocalThread;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.gambiarra.outbound.EndpointPolicy;
import dev.gambiarra.outbound.ReadCoalescer;
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

	/** At most this much of one read is joined before it is passed on (a read is up to 64 KiB, often more). */
	private static final int COALESCE_MAX_BYTES = 64 * 1024;

	private final ProxyProperties properties;

	private final EndpointPolicy endpoints;

	/** The shared pool: the agent provider's calls and relays started off an event loop. */
	private final Pooled shared;

	/** One pool per event loop, so a relay's upstream connection lives on the loop of the client's. */
	private final Map<Thread, Pooled> perLoop = new ConcurrentHashMap<>();

	private final int perLoopConnections;

	private final WebClient webClient;

	private final DirectUpstream direct;

	UpstreamClient(ProxyProperties properties, EndpointPolicy endpoints) {
		this.properties = properties;
		this.endpoints = endpoints;
		this.shared = pooled("gambiarra-upstream", properties.maxConnections());
		int loops = Math.max(1, LoopResources.DEFAULT_IO_WORKER_COUNT);
		this.perLoopConnections = Math.max(1, (properties.maxConnections() + loops - 1) / loops);
		this.direct = new DirectUpstream(properties, endpoints, this.perLoopConnections);
		// A plain builder on purpose: Boot's adds an observation per exchange (http.client.requests tagged by each
		// participant's URI), which costs more than the relay itself; the hub measures upstream calls in metrics/.
		this.webClient = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(this.shared.client()))
			.build();
	}

	private Pooled pooled(String name, int maxConnections) {
		ConnectionProvider pool = pool(name, maxConnections, this.properties);
		return new Pooled(pool, timed(this.endpoints.guard(HttpClient.create(pool)), this.properties));
	}

	/** A connection pool sized and timed by {@code gambiarra.proxy.*}. */
	static ConnectionProvider pool(String name, int maxConnections, ProxyProperties properties) {
		return ConnectionProvider.builder(name)
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(properties.connectTimeout().plusSeconds(5))
			.maxIdleTime(properties.maxIdleTime())
			.build();
	}

	/**
	 * {@code client} with the three proxy timeouts at the transport (connect, first byte, idle gap between chunks)
	 * and each read of an answer joined into one buffer: every client that relays an answer (to a participant, to
	 * another hub) is built so. The handlers are put on each connection once, when it is opened, right after its
	 * HTTP codec: adding and removing them for every request (as {@code responseTimeout} and {@code doOnResponse}
	 * do) was a pipeline change and a subscription each per request.
	 */
	static HttpClient timed(HttpClient client, ProxyProperties properties) {
		long firstByteNanos = properties.firstByteTimeout().toNanos();
		long idleNanos = properties.idleTimeout().toNanos();
		return client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
			.doOnChannelInit((observer, channel, remote) -> {
				if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
					channel.pipeline()
						.addAfter(NettyPipeline.HttpCodec, ExchangeTimeouts.NAME,
								new ExchangeTimeouts(firstByteNanos, idleNanos))
						.addAfter(NettyPipeline.HttpCodec, ReadCoalescer.NAME, new ReadCoalescer(COALESCE_MAX_BYTES));
				}
			});
	}

	/**
	 * The client for a relay started on the current thread. On an event loop (where the server reads requests),
	 * that loop's own pool: Reactor Netty opens a connection on the loop that asks for it, so the request, the
	 * answer and its relay to the client all stay on one thread. With one shared pool, a loop would take any idle
	 * connection, and every answer read on another loop would cross threads (a task and a wake-up each time).
	 */
	private HttpClient relayClient() {
		Thread loop = Thread.currentThread();
		if (!(loop instanceof FastThreadLocalThread)) {
			return this.shared.client();
		}
		Pooled pooled = this.perLoop.get(loop);
		if (pooled == null) {
			pooled = this.perLoop.computeIfAbsent(loop,
					(key) -> pooled("gambiarra-upstream-" + this.perLoop.size(), this.perLoopConnections));
		}
		return pooled.client();
	}

	/**
	 * A POST to {@code {endpoint}/v1/{operation}} of {@code participant} with only the {@link #hubHeaders hub's own
	 * headers}, through WebClient (for callers that want its decoding and error statuses).
	 */
	WebClient.RequestBodySpec post(Participant participant, String operation, String requestId, boolean stream) {
		return this.webClient.post()
			.uri(uri(participant, operation))
			.headers((headers) -> hubHeaders(participant, requestId, stream, headers::set));
	}

	/**
	 * The relay's call: the same POST and headers as {@link #post}, sent straight on the Reactor Netty client with
	 * {@code payload} as it is (its {@code Content-Length}, no encoder, no copy), so the answer's buffers can be
	 * passed on as the connection reads them. The hot path, hence no WebClient layer in between.
	 */
	HttpClient.ResponseReceiver<?> relay(Participant participant, String operation, String requestId, boolean stream,
			byte[] payload) {
		return relayClient().post().uri(uri(participant, operation)).send((request, outbound) -> {
			hubHeaders(participant, requestId, stream, request::header);
			return sendPayload(request, outbound, payload);
		});
	}

	/**
	 * The relay's call with its answer handed to {@code answer}: on {@link DirectUpstream} when it can make it (a
	 * plain {@code http} participant at an IP literal, from an event loop), else on {@link #relay(Participant,
	 * String, String, boolean, byte[]) the Reactor Netty client}. Decided when subscribed, on the thread that calls.
	 */
	Mono<Void> relay(Participant participant, String operation, String requestId, boolean stream, byte[] payload,
			RelayTransport.Answer answer) {
		return Mono.defer(() -> {
			Mono<Void> direct = this.direct.relay(participant.endpoint(), operation,
					(headers) -> hubHeaders(participant, requestId, stream, headers::set), payload, answer);
			return (direct != null) ? direct
					: relay(participant, operation, requestId, stream, payload).response(answer::answer).then();
		});
	}

	/** Relays made on {@link DirectUpstream}. */
	long directCalls() {
		return this.direct.calls();
	}

	/** Sends {@code payload} as it is, with its {@code Content-Length}: no encoder, no copy. */
	static NettyOutbound sendPayload(HttpClientRequest request, NettyOutbound outbound, byte[] payload) {
		request.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(payload.length));
		// A new wrapper per subscription: the client may send again on a fresh connection.
		return outbound.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(payload)));
	}

	private static URI uri(Participant participant, String operation) {
		return URI.create(participant.endpoint() + "/v1/" + operation);
	}

	/**
	 * Every header a participant gets from the hub: JSON in, SSE or JSON out, the request id, and the participant's
	 * api key if it registered one. Nothing of the client's request (its Authorization, a room password) is ever
	 * passed on.
	 */
	private static void hubHeaders(Participant participant, String requestId, boolean stream,
			BiConsumer<String, String> header) {
		relayHeaders(requestId, stream, header);
		if (participant.apiKey() != null) {
			header.accept(HttpHeaders.AUTHORIZATION, "Bearer " + participant.apiKey());
		}
	}

	/** What every relayed POST says of itself: JSON in, SSE or JSON out, the request id. */
	static void relayHeaders(String requestId, boolean stream, BiConsumer<String, String> header) {
		header.accept(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
		header.accept(HttpHeaders.ACCEPT, stream ? ACCEPT_STREAM : MediaType.APPLICATION_JSON_VALUE);
		header.accept(RequestIds.HEADER, requestId);
	}

	@Override
	public void destroy() {
		this.direct.close();
		this.shared.pool().dispose();
		this.perLoop.values().forEach((pooled) -> pooled.pool().dispose());
	}

	private record Pooled(ConnectionProvider pool, HttpClient client) {
	}

}
