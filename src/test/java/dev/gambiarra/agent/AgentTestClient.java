package dev.gambiarra.agent;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import static org.awaitility.Awaitility.await;

/** A fake agent client over a real WebSocket: sends JSON messages, records what the hub sends. */
final class AgentTestClient implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer();

	final List<JsonNode> received = new CopyOnWriteArrayList<>();

	private final Disposable connection;

	private volatile boolean closed;

	private int cursor;

	AgentTestClient(URI uri) {
		this.connection = new ReactorNettyWebSocketClient()
			.execute(uri, (session) -> session.send(this.out.asFlux().map(session::textMessage))
				.and(session.receive()
					.map((message) -> message.getPayloadAsText())
					.doOnNext((text) -> this.received.add(JSON.readTree(text)))
					.then()))
			.doFinally((signal) -> this.closed = true)
			.subscribe((ignored) -> {
			}, (ex) -> this.closed = true);
	}

	synchronized void send(String json) {
		this.out.tryEmitNext(json);
	}

	/** The next message of {@code type} after the last one awaited (other types in between are skipped). */
	JsonNode next(String type) {
		await().atMost(Duration.ofSeconds(30)).until(() -> indexOf(type, this.cursor) >= 0);
		int index = indexOf(type, this.cursor);
		this.cursor = index + 1;
		return this.received.get(index);
	}

	long count(String type) {
		return this.received.stream().filter((message) -> message.path("type").asString().equals(type)).count();
	}

	boolean isClosed() {
		return this.closed;
	}

	private int indexOf(String type, int from) {
		for (int i = from; i < this.received.size(); i++) {
			if (this.received.get(i).path("type").asString().equals(type)) {
				return i;
			}
		}
		return -1;
	}

	/** Drops the connection without a goodbye, as a network failure would. */
	@Override
	public void close() {
		this.out.tryEmitComplete();
		this.connection.dispose();
	}

}
