package dev.gambiarra.agent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A fake OpenAI-compatible model for tests: replays scripted assistant turns in order, one per request, as SSE
 * chunks of a few characters (so tags are split across chunks). A turn may instead fail with a status, or stream
 * forever (to test cancellation). Records every request body.
 */
final class ScriptedLlm implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ConcurrentLinkedQueue<Turn> turns = new ConcurrentLinkedQueue<>();

	final List<JsonNode> requests = new CopyOnWriteArrayList<>();

	final AtomicBoolean cancelled = new AtomicBoolean();

	final AtomicInteger served = new AtomicInteger();

	private final DisposableServer server;

	record Turn(String text, int status, boolean endless) {
	}

	ScriptedLlm() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/v1/chat/completions", (request, response) -> request.receive()
				.aggregate()
				.asString()
				.flatMap((body) -> {
					this.requests.add(JSON.readTree(body));
					this.served.incrementAndGet();
					Turn turn = this.turns.poll();
					if (turn == null) {
						turn = new Turn("(script exhausted)", 200, false);
					}
					if (turn.status() != 200) {
						return response.status(turn.status())
							.header("content-type", "application/json")
							.sendString(Mono.just("{\"error\":{\"message\":\"scripted failure\"}}"))
							.then();
					}
					Flux<String> chunks = turn.endless() ? forever() : chunks(turn.text());
					return response.header("content-type", "text/event-stream").sendString(chunks).then();
				})))
			.bindNow();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.port() + "/v1";
	}

	ScriptedLlm reply(String... texts) {
		for (String text : texts) {
			this.turns.add(new Turn(text, 200, false));
		}
		return this;
	}

	ScriptedLlm fail(int status, int times) {
		for (int i = 0; i < times; i++) {
			this.turns.add(new Turn("", status, false));
		}
		return this;
	}

	ScriptedLlm endless() {
		this.turns.add(new Turn("", 200, true));
		return this;
	}

	void reset() {
		this.turns.clear();
		this.requests.clear();
		this.cancelled.set(false);
		this.served.set(0);
	}

	/** The content of the last message of the {@code index}-th request. */
	String lastMessage(int index) {
		JsonNode messages = this.requests.get(index).path("messages");
		return messages.path(messages.size() - 1).path("content").asString();
	}

	private static Flux<String> chunks(String text) {
		Flux<String> pieces = Flux.create((sink) -> {
			int size = 1;
			for (int i = 0; i < text.length(); i += size, size = (size % 7) + 1) {
				sink.next(event(text.substring(i, Math.min(text.length(), i + size))));
			}
			sink.complete();
		});
		return Flux.concat(Flux.just(event("")), pieces, Flux.just("data: [DONE]\n\n"));
	}

	private Flux<String> forever() {
		return Flux.interval(Duration.ofMillis(20))
			.map((tick) -> event("thinking " + tick + ". "))
			.doOnCancel(() -> this.cancelled.set(true));
	}

	private static String event(String content) {
		var chunk = JSON.createObjectNode();
		chunk.putArray("choices").addObject().putObject("delta").put("content", content);
		return "data: " + JSON.writeValueAsString(chunk) + "\n\n";
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
