package dev.gambiarra.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A real OpenAI-compatible HTTP server for tests, on 127.0.0.1 and a random port. By default it answers chat
 * completions (streamed or not) with a fixed three-chunk answer; a test can install its own behaviour per path and
 * inspect every request the fake received (path, headers, body). Register it as a JUnit extension
 * ({@code @RegisterExtension static final FakeLlm upstream = FakeLlm.start();}) and it stops after the test class.
 */
public final class FakeLlm implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

	public record Received(String path, HttpHeaders headers, String body) {
	}

	/** A handler gets the request and its already-read body. */
	public interface Behaviour extends BiFunction<Received, HttpServerResponse, Publisher<Void>> {
	}

	private volatile DisposableServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();

	private final int port;

	private FakeLlm() {
		this.server = bind(0);
		this.port = this.server.port();
	}

	private DisposableServer bind(int port) {
		return HttpServer.create().host("127.0.0.1").port(port).handle(this::handle).bindNow(Duration.ofSeconds(10));
	}

	/**
	 * A static instance is shared by a test class and its subclasses (the same tests on another store), and closed
	 * after each of them: the next one to run opens it again, on the same port its hubs were told about.
	 */
	@Override
	public synchronized void beforeAll(ExtensionContext context) {
		if (this.server.isDisposed()) {
			this.server = bind(this.port);
		}
	}

	public static FakeLlm start() {
		return new FakeLlm();
	}

	public int port() {
		return this.port;
	}

	/** The base URL a participant registers as its endpoint (no {@code /v1}). */
	public String endpoint() {
		return "http://127.0.0.1:" + port();
	}

	public List<Received> received() {
		return this.received;
	}

	public Received lastReceived() {
		return this.received.get(this.received.size() - 1);
	}

	/** Installs a behaviour for one path such as {@code /v1/chat/completions}. */
	public FakeLlm on(String path, Behaviour behaviour) {
		this.behaviours.put(path, behaviour);
		return this;
	}

	public void reset() {
		this.behaviours.clear();
		this.received.clear();
	}

	private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		String path = request.fullPath();
		return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap((body) -> {
			Received got = new Received(path, request.requestHeaders().copy(), body);
			this.received.add(got);
			Behaviour behaviour = this.behaviours.getOrDefault(path, FakeLlm::defaultAnswer);
			return Mono.from(behaviour.apply(got, response));
		});
	}

	private static Publisher<Void> defaultAnswer(Received request, HttpServerResponse response) {
		if (request.path().endsWith("/chat/completions") && request.body().contains("\"stream\":true")) {
			return sse(response, Flux.just(chunk("Hello"), chunk(" from"), chunk(" fake"), "[DONE]"));
		}
		return json(response, 200, completion("Hello from fake"));
	}

	/** Answers with status and a JSON body. */
	public static Publisher<Void> json(HttpServerResponse response, int status, String body) {
		return response.status(status)
			.header("Content-Type", "application/json")
			.sendString(Mono.just(body))
			.then();
	}

	/** Answers {@code text/event-stream}, one {@code data:} event per element, flushed one by one. */
	public static Publisher<Void> sse(HttpServerResponse response, Flux<String> data) {
		return response.status(200)
			.header("Content-Type", "text/event-stream")
			.sendString(data.map((item) -> "data: " + item + "\n\n"), StandardCharsets.UTF_8)
			.then();
	}

	public static String chunk(String content) {
		return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\","
				+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
	}

	public static String completion(String content) {
		return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake\","
				+ "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content
				+ "\"},\"finish_reason\":\"stop\"}],"
				+ "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}";
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

}
