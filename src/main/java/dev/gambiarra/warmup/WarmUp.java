package dev.gambiarra.warmup;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.stereotype.Component;

import dev.gambiarra.metrics.RequestStats;
import dev.gambiarra.testllm.TestLlmOptions;
import dev.gambiarra.testllm.TestLlmServer;

/**
 * Warms the JIT up before the hub opens its port. A JVM runs new code interpreted, then compiles what runs often, and
 * on two cores the compiler competes with the requests it would speed up: measured from outside, the first thousand
 * relayed requests after a start took ×5–30 the time of the same requests a minute later. So, once every bean
 * exists and before the web server starts (this lifecycle's phase comes first), the hub serves its own HTTP handler
 * on a private loopback port and relays {@code gambiarra.warmup.requests} requests through it to an embedded test
 * LLM: streamed and plain chat, completions, embeddings, in a room created and closed for the purpose. Then it waits
 * (within the same timeout) until the JIT compilers have finished what those requests gave them: measured from
 * outside, they still took more CPU than the event loops during the first thousand requests after a warm-up that did
 * not wait.
 * <p>
 * Nobody sees it: the public port is not open yet, so no client can list that room or subscribe to its events; its
 * log lines are encoded as the console would encode them, then dropped ({@link WarmUpLogs}), and its figures and
 * meters are dropped when it closes. A warm-up that fails or runs past {@code gambiarra.warmup.timeout} is logged and the hub starts
 * anyway.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(name = "gambiarra.warmup.enabled", havingValue = "true", matchIfMissing = true)
class WarmUp implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(WarmUp.class);

	/** Before Boot's web server lifecycle ({@code Integer.MAX_VALUE - 2048}), which opens the port. */
	static final int PHASE = Integer.MAX_VALUE - 4096;

	private static final String MODEL = "warm-up";


	private final ObjectProvider<HttpHandler> handler;

	private final ObjectProvider<NettyRouteProvider> routes;

	private final ObjectProvider<NettyServerCustomizer> customizers;

	private final JsonMapper json;

	private final RequestStats stats;

	private final WarmUpProperties properties;

	private volatile boolean running;

	private volatile int relayed;

	private volatile long linesEncoded;

	WarmUp(ObjectProvider<HttpHandler> handler, ObjectProvider<NettyRouteProvider> routes,
			ObjectProvider<NettyServerCustomizer> customizers, JsonMapper json, RequestStats stats,
			WarmUpProperties properties) {
		this.handler = handler;
		this.routes = routes;
		this.customizers = customizers;
		this.json = json;
		this.stats = stats;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.running = true;
		HttpHandler httpHandler = this.handler.getIfAvailable();
		if (httpHandler == null) {
			return;
		}
		long started = System.nanoTime();
		WarmUpLogs logs = WarmUpLogs.divert();
		try {
			this.relayed = run(httpHandler);
		}
		catch (RuntimeException ex) {
			logger.warn("Warm-up stopped early, the hub starts anyway: {}", ex.toString());
		}
		finally {
			logs.close();
			this.linesEncoded = logs.encoded();
		}
		long relayedIn = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		long settledIn = JitQuiet.await(this.properties.timeout().minusMillis(relayedIn));
		logger.info("Warmed up with {} relayed requests in {} ms, the JIT compilers done {} ms later, before opening "
				+ "the port", this.relayed, relayedIn, settledIn);
	}

	/** Requests the last warm-up relayed with a 200. */
	int relayed() {
		return this.relayed;
	}

	/** Log lines of the hub encoded for nothing during the last warm-up, so the log path is warm too. */
	long linesEncoded() {
		return this.linesEncoded;
	}

	private int run(HttpHandler httpHandler) {
		TestLlmServer llm = TestLlmServer
			.start(TestLlmOptions.defaults().withModels(List.of(MODEL)).withChunks(16));
		DisposableServer server = null;
		ConnectionProvider connections = ConnectionProvider.builder("gambiarra-warmup")
			.maxConnections(this.properties.concurrency())
			.build();
		try {
			HttpServer warmUpServer = HttpServer.create().host("127.0.0.1").port(0);
			// As the web server serves: its customizers (the relay's pipeline), the routes ahead of WebFlux, then
			// WebFlux for the rest.
			for (NettyServerCustomizer customizer : this.customizers.orderedStream().toList()) {
				warmUpServer = customizer.apply(warmUpServer);
			}
			server = warmUpServer
				.route((routes) -> {
					HttpServerRoutes all = routes;
					for (NettyRouteProvider provider : this.routes.orderedStream().toList()) {
						all = provider.apply(all);
					}
					all.route((request) -> true, new ReactorHttpHandlerAdapter(httpHandler));
				})
				.bindNow(Duration.ofSeconds(10));
			HttpClient client = HttpClient.create(connections)
				.baseUrl("http://127.0.0.1:" + server.port())
				.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
			return relay(client, llm.baseUrl());
		}
		finally {
			connections.disposeLater().block(Duration.ofSeconds(5));
			if (server != null) {
				server.disposeNow(Duration.ofSeconds(5));
			}
			llm.closeQuietly();
		}
	}

	private int relay(HttpClient client, String endpoint) {
		Duration timeout = this.properties.timeout();
		JsonNode created = body(send(client, "POST", "/rooms", "{\"name\":\"warm-up\"}", null).block(timeout));
		String code = created.get("room").get("code").asString();
		String hostId = created.get("hostId").asString();
		try {
			send(client, "POST", "/rooms/" + code + "/join",
					this.json.writeValueAsString(Map.of("id", MODEL, "nickname", MODEL, "model", MODEL, "endpoint",
							endpoint, "maxConcurrent", this.properties.concurrency())),
					null)
				.block(timeout);
			AtomicInteger ok = new AtomicInteger();
			Flux.range(0, this.properties.requests())
				.flatMap((i) -> relayOne(client, code, i).doOnNext((status) -> {
					if (status == 200) {
						ok.incrementAndGet();
					}
				}), this.properties.concurrency())
				.then()
				.block(timeout);
			return ok.get();
		}
		finally {
			send(client, "DELETE", "/rooms/" + code, null, hostId).block(timeout);
			this.stats.forgetRoom(code);
		}
	}

	/** One relayed call, chosen by {@code i}: the answer is read to its end and dropped. */
	private Mono<Integer> relayOne(HttpClient client, String code, int i) {
		String base = "/rooms/" + code + "/v1/";
		String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"warm up " + i + "\"}]";
		return switch (i % 10) {
			case 0, 1, 2, 3 -> drain(client, base + "chat/completions",
					"{\"model\":\"" + MODEL + "\",\"stream\":true," + messages + "}");
			case 4, 5, 6, 7 -> drain(client, base + "chat/completions", "{\"model\":\"*\"," + messages + "}");
			case 8 -> drain(client, base + "completions", "{\"model\":\"model:" + MODEL + "\",\"prompt\":\"warm\"}");
			default -> drain(client, base + "embeddings", "{\"model\":\"" + MODEL + "\",\"input\":\"warm\"}");
		};
	}

	private static Mono<Integer> drain(HttpClient client, String path, String body) {
		return client.post()
			.uri(path)
			.send(ByteBufFlux.fromString(Mono.just(body)))
			.response((response, content) -> content.then(Mono.just(response.status().code())))
			.next();
	}

	private static Mono<Answer> send(HttpClient client, String method, String path, @Nullable String body,
			@Nullable String bearer) {
		HttpClient withAuth = (bearer != null)
				? client.headers((headers) -> headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearer)) : client;
		HttpClient.RequestSender request = withAuth.request(HttpMethod.valueOf(method))
			.uri(path);
		HttpClient.ResponseReceiver<?> receiver = (body != null) ? request.send(ByteBufFlux.fromString(Mono.just(body)))
				: request;
		return receiver.responseSingle((response, content) -> content.asString()
			.defaultIfEmpty("")
			.map((text) -> new Answer(response.status().code(), text)));
	}

	private JsonNode body(@Nullable Answer answer) {
		if (answer == null || answer.status() >= 300) {
			throw new IllegalStateException("warm-up room not created: " + answer);
		}
		return this.json.readTree(answer.body());
	}



	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public boolean isPauseable() {
		// A resumed context has a warm JIT already.
		return false;
	}

	private record Answer(int status, String body) {
	}

}
