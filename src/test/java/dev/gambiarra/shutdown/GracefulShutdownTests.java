package dev.gambiarra.shutdown;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import dev.gambiarra.GambiarraApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the hub (what SIGTERM does) while a room has an event subscriber and a chat stream in flight: the
 * subscriber gets {@code room:closed} and its stream ends, a relay that arrives meanwhile gets 503
 * {@code hub_shutting_down}, the chat stream runs to {@code [DONE]}, and the close returns well within the grace
 * period.
 */
class GracefulShutdownTests {

	private static final int CHUNKS = 10;

	private static final Duration CHUNK_GAP = Duration.ofMillis(300);

	private final CountDownLatch upstreamStreaming = new CountDownLatch(1);

	private DisposableServer upstream;

	private ConfigurableApplicationContext hub;

	@AfterEach
	void stop() {
		if (this.hub != null) {
			this.hub.close();
		}
		if (this.upstream != null) {
			this.upstream.disposeNow();
		}
	}

	@Test
	void shutdownAnnouncesRoomClosedEndsEventStreamsAndLetsInFlightStreamsFinish() throws Exception {
		this.upstream = slowStreamingUpstream();
		this.hub = new SpringApplicationBuilder(GambiarraApplication.class)
			.run("--server.port=0", "--server.address=127.0.0.1", "--gambiarra.shutdown.grace-period=20s");
		int port = ((WebServerApplicationContext) this.hub).getWebServer().getPort();
		WebClient client = WebClient.create("http://127.0.0.1:" + port);

		String code = client.post()
			.uri("/rooms")
			.bodyValue(Map.of("name", "shutdown"))
			.retrieve()
			.bodyToMono(JsonNode.class)
			.map((created) -> created.path("room").path("code").asString())
			.block(Duration.ofSeconds(10));
		client.post()
			.uri("/rooms/{code}/join", code)
			.bodyValue(Map.of("id", "p1", "nickname", "slow", "model", "echo", "endpoint",
					"http://127.0.0.1:" + this.upstream.port()))
			.retrieve()
			.toBodilessEntity()
			.block(Duration.ofSeconds(10));

		List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> eventsEnded = new CompletableFuture<>();
		client.get()
			.uri("/rooms/{code}/events", code)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.subscribe(events::add, eventsEnded::completeExceptionally, () -> eventsEnded.complete(null));
		await().atMost(Duration.ofSeconds(10)).until(() -> hasEvent(events, "connected"));

		List<String> chunks = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> chatEnded = new CompletableFuture<>();
		client.post()
			.uri("/rooms/{code}/v1/chat/completions", code)
			.bodyValue(Map.of("model", "*", "stream", true, "messages", List.of(Map.of("role", "user", "content", "hi"))))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(String.class)
			.subscribe(chunks::add, chatEnded::completeExceptionally, () -> chatEnded.complete(null));
		assertThat(this.upstreamStreaming.await(10, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> !chunks.isEmpty());

		int chunksBeforeShutdown = chunks.size();
		long started = System.nanoTime();
		CompletableFuture<Void> closed = CompletableFuture.runAsync(this.hub::close);

		eventsEnded.get(10, TimeUnit.SECONDS);
		assertThat(events).filteredOn((event) -> "room:closed".equals(event.event()))
			.singleElement()
			.satisfies((event) -> assertThat(event.data()).contains(code).contains(ShutdownAnnouncer.REASON));
		// While the stream drains, a new relay is told the hub is going away (not cut off, not left waiting).
		await().atMost(Duration.ofSeconds(10))
			.until(() -> client.post()
				.uri("/rooms/{code}/v1/chat/completions", code)
				.bodyValue(Map.of("model", "*", "messages", List.of(Map.of("role", "user", "content", "late"))))
				.exchangeToMono((answer) -> answer.bodyToMono(String.class)
					.defaultIfEmpty("")
					.map((body) -> answer.statusCode().value() == 503 && body.contains("hub_shutting_down")
							&& "close".equalsIgnoreCase(answer.headers().asHttpHeaders().getConnection().stream()
								.findFirst()
								.orElse(""))))
				.onErrorReturn(false)
				.block(Duration.ofSeconds(5)));
		assertThat(chunks).as("the stream was still running").hasSizeLessThan(CHUNKS + 1);
		chatEnded.get(15, TimeUnit.SECONDS);
		assertThat(chunks).hasSize(CHUNKS + 1).last().isEqualTo("[DONE]");
		closed.get(20, TimeUnit.SECONDS);
		assertThat(chunksBeforeShutdown).as("the stream was still running when shutdown began").isLessThan(CHUNKS);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
		assertThat(this.hub.isActive()).isFalse();
	}

	private static boolean hasEvent(List<ServerSentEvent<String>> events, String name) {
		return events.stream().anyMatch((event) -> name.equals(event.event()));
	}

	/** An OpenAI-style upstream that streams {@link #CHUNKS} chunks, one every {@link #CHUNK_GAP}, then [DONE]. */
	private DisposableServer slowStreamingUpstream() {
		return HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/v1/chat/completions", (request, response) -> {
				Flux<String> body = Flux.interval(Duration.ZERO, CHUNK_GAP)
					.take(CHUNKS)
					.doOnSubscribe((subscription) -> this.upstreamStreaming.countDown())
					.map((i) -> "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"c" + i + "\"}}]}\n\n")
					.concatWith(Mono.just("data: [DONE]\n\n"));
				return response.header("Content-Type", "text/event-stream")
					.sendString(body);
			}))
			.bindNow();
	}

}
