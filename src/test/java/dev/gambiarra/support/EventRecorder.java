package dev.gambiarra.support;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;

/**
 * Listens to an SSE stream of the hub in the background and records what arrives, so a test can act (join, chat)
 * on its own thread and then wait for the events it expects. Opening waits for the {@code connected} event, so
 * nothing the test does afterwards can be missed.
 */
public final class EventRecorder implements AutoCloseable {

	private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> SSE = new ParameterizedTypeReference<>() {
	};

	private final List<ServerSentEvent<JsonNode>> received = new CopyOnWriteArrayList<>();

	private final Disposable subscription;

	private volatile boolean completed;

	private EventRecorder(Flux<ServerSentEvent<JsonNode>> events) {
		this.subscription = events.doFinally((signal) -> this.completed = true).subscribe(this.received::add,
				(ex) -> {
				});
		awaitEvent("connected");
	}

	public static EventRecorder open(WebTestClient client, String uri, @Nullable String bearer) {
		Flux<ServerSentEvent<JsonNode>> body = client.get()
			.uri(uri)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.headers((headers) -> {
				if (bearer != null) {
					headers.setBearerAuth(bearer);
				}
			})
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(SSE)
			.getResponseBody();
		return new EventRecorder(body);
	}

	/** Every frame so far, heartbeat comments included. */
	public List<ServerSentEvent<JsonNode>> frames() {
		return this.received;
	}

	/** Names of the events received so far, in order. */
	public List<String> types() {
		return this.received.stream().map(ServerSentEvent::event).filter(Objects::nonNull).toList();
	}

	public List<JsonNode> data(String type) {
		return this.received.stream()
			.filter((event) -> type.equals(event.event()))
			.map(ServerSentEvent::data)
			.filter(Objects::nonNull)
			.toList();
	}

	/** Waits for the first event of this type and returns its data. */
	public JsonNode awaitEvent(String type) {
		return awaitEvent(type, (data) -> true);
	}

	/** Waits for an event of this type whose data matches. */
	public JsonNode awaitEvent(String type, Predicate<JsonNode> matching) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> this.received.stream()
				.filter((event) -> type.equals(event.event()) && event.data() != null && matching.test(event.data()))
				.map(ServerSentEvent::data)
				.findFirst()
				.orElse(null), Objects::nonNull);
	}

	public boolean isCompleted() {
		return this.completed;
	}

	@Override
	public void close() {
		this.subscription.dispose();
	}

}
