package dev.gambiarra.testllm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.gambiarra.testllm.ScriptedTurn.ToolCall;

/**
 * A deterministic OpenAI-compatible LLM on a plain Reactor Netty server: {@code GET /v1/models},
 * {@code GET /api/tags} (Ollama), {@code POST /v1/chat/completions} (streamed or not, with {@code usage}),
 * {@code POST /v1/completions} and {@code POST /v1/embeddings}. Answers echo the prompt, so a test can predict
 * them; with a script it replays assistant turns (text and tool calls) in order instead.
 * <p>
 * A request may tune itself with headers {@code X-Test-Llm-Chunks} and {@code X-Test-Llm-Delay-Ms}, or with a body
 * extension {@code "test_llm": {"chunks": 3, "delay_ms": 10, "status": 503, "fail_after": 2, "stamp": true}}
 * ({@code status} answers with that error, {@code fail_after} drops the connection after that many content chunks,
 * {@code stamp} puts an SSE comment {@code : sent-us <wall-clock microseconds>} before each streamed event, so a
 * benchmark can tell how long each chunk took to arrive).
 */
public final class TestLlmServer implements AutoCloseable {

	static final String CHUNKS_HEADER = "X-Test-Llm-Chunks";

	static final String DELAY_HEADER = "X-Test-Llm-Delay-Ms";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int MAX_RECORDED = 256;

	private static final String EVENT_STREAM = "text/event-stream";

	private static final String APPLICATION_JSON = "application/json";

	private final TestLlmOptions options;

	private final DisposableServer server;

	private final AtomicInteger nextTurn = new AtomicInteger();

	private final AtomicLong handled = new AtomicLong();

	private final ConcurrentLinkedDeque<JsonNode> recorded = new ConcurrentLinkedDeque<>();

	static {
		// Jackson builds and caches its (de)serializers under a lock on first use; do that here, once, rather than
		// on event loops racing for it under load.
		JSON.writeValueAsString(JSON.readTree("{\"a\":[1,\"b\",{\"c\":null,\"d\":1.5,\"e\":true}]}"));
	}

	private TestLlmServer(TestLlmOptions options) {
		this.options = options;
		this.server = HttpServer.create()
			.host(options.host())
			.port(options.port())
			.route((routes) -> routes.get("/v1/models", (req, res) -> json(res, models()))
				.get("/v1/models/{id}", this::model)
				.get("/api/tags", (req, res) -> json(res, tags()))
				.get("/health", (req, res) -> json(res, JSON.createObjectNode().put("status", "ok")))
				.get("/", (req, res) -> res.header("Content-Type", "text/plain")
					.sendString(Mono.just("Gambiarra test LLM is running\n")))
				.post("/v1/chat/completions", (req, res) -> post(req, res, this::chat))
				.post("/v1/completions", (req, res) -> post(req, res, this::completion))
				.post("/v1/embeddings", (req, res) -> post(req, res, this::embeddings))
				.route((req) -> true, (req, res) -> error(res, HttpResponseStatus.NOT_FOUND,
						"Unknown route " + req.method() + " " + req.uri(), "invalid_request_error")))
			.bindNow(Duration.ofSeconds(10));
	}

	/** Binds and starts a server; close it when done. */
	public static TestLlmServer start(TestLlmOptions options) {
		return new TestLlmServer(options);
	}

	public int port() {
		return this.server.port();
	}

	public String host() {
		return this.options.host();
	}

	/** Base URL to register as a participant endpoint, e.g. {@code http://127.0.0.1:8001} (no {@code /v1}). */
	public String baseUrl() {
		String host = this.options.host();
		if (host.equals("0.0.0.0") || host.equals("::")) {
			host = "127.0.0.1";
		}
		return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
	}

	public TestLlmOptions options() {
		return this.options;
	}

	/** Completion, chat and embedding requests served so far. */
	public long requestCount() {
		return this.handled.get();
	}

	/** Bodies of the most recent chat and completion requests (up to 256), oldest first. */
	public List<JsonNode> requests() {
		return new ArrayList<>(this.recorded);
	}

	/** Scripted turns not replayed yet (0 in echo mode). */
	public int remainingTurns() {
		return Math.max(0, this.options.script().size() - this.nextTurn.get());
	}

	/** Stops accepting connections and waits (up to 5 s) for open ones to finish. */
	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	/** Blocks until the server is closed (by {@link #close()} or another thread). */
	public void onClose() {
		this.server.onDispose().block();
	}

	/** Stops at once, for shutdown hooks. */
	public void closeQuietly() {
		this.server.dispose();
	}

	// --- routing helpers

	private interface Handler {

		Mono<Void> handle(JsonNode body, Settings settings, HttpServerResponse response);

	}

	private Mono<Void> post(HttpServerRequest request, HttpServerResponse response, Handler handler) {
		return request.receive()
			.aggregate()
			.asString(StandardCharsets.UTF_8)
			.defaultIfEmpty("")
			.flatMap((text) -> {
				JsonNode body;
				try {
					body = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
				}
				catch (JacksonException ex) {
					return error(response, HttpResponseStatus.BAD_REQUEST, "Invalid JSON body", "invalid_request_error");
				}
				if (!body.isObject()) {
					return error(response, HttpResponseStatus.BAD_REQUEST, "Body must be a JSON object",
							"invalid_request_error");
				}
				this.handled.incrementAndGet();
				Settings settings = Settings.of(this.options, request, body);
				if (settings.status() >= 400) {
					return error(response, HttpResponseStatus.valueOf(settings.status()),
							"Test LLM failure requested (status " + settings.status() + ")", "server_error");
				}
				return handler.handle(body, settings, response);
			});
	}

	private Mono<Void> model(HttpServerRequest request, HttpServerResponse response) {
		String id = request.param("id");
		if (id == null || !this.options.models().contains(id)) {
			return error(response, HttpResponseStatus.NOT_FOUND, "Model not found: " + id, "invalid_request_error");
		}
		return json(response, modelNode(id));
	}

	private ObjectNode models() {
		ObjectNode root = JSON.createObjectNode().put("object", "list");
		ArrayNode data = root.putArray("data");
		this.options.models().forEach((id) -> data.add(modelNode(id)));
		return root;
	}

	private static ObjectNode modelNode(String id) {
		return JSON.createObjectNode()
			.put("id", id)
			.put("object", "model")
			.put("created", 1_700_000_000L)
			.put("owned_by", "gambiarra-test-llm");
	}

	private ObjectNode tags() {
		ObjectNode root = JSON.createObjectNode();
		ArrayNode models = root.putArray("models");
		for (String id : this.options.models()) {
			ObjectNode model = models.addObject()
				.put("name", id)
				.put("model", id)
				.put("modified_at", "2024-01-01T00:00:00Z")
				.put("size", 0)
				.put("digest", Answers.id("", id));
			model.putObject("details").put("family", "test").put("parameter_size", "0B");
		}
		return root;
	}

	// --- chat completions

	private Mono<Void> chat(JsonNode body, Settings settings, HttpServerResponse response) {
		record(body);
		String model = modelOf(body);
		ScriptedTurn turn;
		if (this.options.script().isEmpty()) {
			turn = ScriptedTurn.text(Answers.chatAnswer(body.path("messages")));
		}
		else {
			int index = this.nextTurn.getAndIncrement();
			if (index >= this.options.script().size()) {
				return error(response, HttpResponseStatus.INTERNAL_SERVER_ERROR,
						"Test LLM script exhausted after " + this.options.script().size() + " turns", "server_error");
			}
			turn = this.options.script().get(index);
		}
		List<String> chunks = (turn.content() != null) ? Answers.chunks(turn.content(), settings.chunks())
				: List.of();
		int promptTokens = Answers.promptTokens(body.path("messages"));
		int completionTokens = chunks.size() + turn.toolCalls().size();
		String id = Answers.id("chatcmpl-", model + body.path("messages"));
		long created = System.currentTimeMillis() / 1000;
		if (!body.path("stream").asBoolean(false)) {
			ObjectNode root = envelope(id, "chat.completion", created, model);
			ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
			ObjectNode message = choice.putObject("message").put("role", "assistant");
			if (turn.content() != null) {
				message.put("content", turn.content());
			}
			else {
				message.putNull("content");
			}
			if (!turn.toolCalls().isEmpty()) {
				ArrayNode calls = message.putArray("tool_calls");
				for (ToolCall call : turn.toolCalls()) {
					ObjectNode node = calls.addObject().put("id", call.id()).put("type", "function");
					node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
				}
			}
			choice.put("finish_reason", turn.finishReason());
			usage(root, promptTokens, completionTokens);
			return json(response, root);
		}
		List<String> events = new ArrayList<>();
		ObjectNode first = envelope(id, "chat.completion.chunk", created, model);
		delta(first).put("role", "assistant").put("content", "");
		events.add(data(first));
		// Content chunks are most of the traffic (the benchmark streams 64 per answer): built from a fixed prefix
		// and suffix around the escaped text instead of a JSON tree each.
		String prefix = "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created
				+ ",\"model\":" + quote(model) + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":";
		for (String chunk : chunks) {
			events.add(prefix + quote(chunk) + "},\"finish_reason\":null}]}\n\n");
		}
		int index = 0;
		for (ToolCall call : turn.toolCalls()) {
			ObjectNode head = envelope(id, "chat.completion.chunk", created, model);
			ObjectNode headCall = delta(head).putArray("tool_calls").addObject().put("index", index);
			headCall.put("id", call.id()).put("type", "function");
			headCall.putObject("function").put("name", call.name()).put("arguments", "");
			events.add(data(head));
			ObjectNode args = envelope(id, "chat.completion.chunk", created, model);
			delta(args).putArray("tool_calls")
				.addObject()
				.put("index", index)
				.putObject("function")
				.put("arguments", call.arguments());
			events.add(data(args));
			index++;
		}
		ObjectNode last = envelope(id, "chat.completion.chunk", created, model);
		delta(last);
		((ObjectNode) last.path("choices").get(0)).put("finish_reason", turn.finishReason());
		events.add(data(last));
		if (body.path("stream_options").path("include_usage").asBoolean(false)) {
			ObjectNode usage = envelope(id, "chat.completion.chunk", created, model);
			usage.putArray("choices");
			usage(usage, promptTokens, completionTokens);
			events.add(data(usage));
		}
		events.add("data: [DONE]\n\n");
		return stream(response, events, settings, 1);
	}

	private static ObjectNode delta(ObjectNode chunk) {
		ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
		ObjectNode delta = choice.putObject("delta");
		choice.putNull("finish_reason");
		return delta;
	}

	// --- legacy completions

	private Mono<Void> completion(JsonNode body, Settings settings, HttpServerResponse response) {
		record(body);
		String model = modelOf(body);
		String prompt = Answers.text(body.path("prompt"));
		String answer = Answers.answerTo(prompt);
		List<String> chunks = Answers.chunks(answer, settings.chunks());
		String id = Answers.id("cmpl-", model + prompt);
		long created = System.currentTimeMillis() / 1000;
		if (!body.path("stream").asBoolean(false)) {
			ObjectNode root = envelope(id, "text_completion", created, model);
			root.putArray("choices")
				.addObject()
				.put("text", answer)
				.put("index", 0)
				.putNull("logprobs")
				.put("finish_reason", "stop");
			usage(root, Answers.tokens(prompt), chunks.size());
			return json(response, root);
		}
		List<String> events = new ArrayList<>();
		for (int i = 0; i <= chunks.size(); i++) {
			ObjectNode node = envelope(id, "text_completion", created, model);
			ObjectNode choice = node.putArray("choices")
				.addObject()
				.put("text", (i < chunks.size()) ? chunks.get(i) : "")
				.put("index", 0);
			choice.putNull("logprobs");
			if (i < chunks.size()) {
				choice.putNull("finish_reason");
			}
			else {
				choice.put("finish_reason", "stop");
			}
			events.add(data(node));
		}
		events.add("data: [DONE]\n\n");
		return stream(response, events, settings, 0);
	}

	// --- embeddings

	private Mono<Void> embeddings(JsonNode body, Settings settings, HttpServerResponse response) {
		JsonNode input = body.path("input");
		List<String> inputs = new ArrayList<>();
		if (input.isString()) {
			inputs.add(input.asString());
		}
		else if (input.isArray()) {
			input.forEach((item) -> inputs.add(item.isString() ? item.asString() : item.toString()));
		}
		if (inputs.isEmpty()) {
			return error(response, HttpResponseStatus.BAD_REQUEST, "'input' is required", "invalid_request_error");
		}
		ObjectNode root = JSON.createObjectNode().put("object", "list");
		ArrayNode data = root.putArray("data");
		int tokens = 0;
		for (int i = 0; i < inputs.size(); i++) {
			ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
			for (double value : Answers.embedding(inputs.get(i), this.options.embeddingDimensions())) {
				vector.add(value);
			}
			tokens += Answers.tokens(inputs.get(i));
		}
		root.put("model", modelOf(body));
		root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
		return json(response, root);
	}

	// --- plumbing

	private String modelOf(JsonNode body) {
		String model = body.path("model").asString("");
		return model.isBlank() ? this.options.models().get(0) : model;
	}

	private void record(JsonNode body) {
		this.recorded.addLast(body);
		while (this.recorded.size() > MAX_RECORDED) {
			this.recorded.pollFirst();
		}
	}

	private static ObjectNode envelope(String id, String object, long created, String model) {
		return JSON.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
	}

	private static void usage(ObjectNode root, int prompt, int completion) {
		root.putObject("usage")
			.put("prompt_tokens", prompt)
			.put("completion_tokens", completion)
			.put("total_tokens", prompt + completion);
	}

	private static String quote(String text) {
		return "\"" + new String(JsonStringEncoder.getInstance().quoteAsCharArray(text)) + "\"";
	}

	private static String data(JsonNode node) {
		return "data: " + JSON.writeValueAsString(node) + "\n\n";
	}

	/**
	 * Sends SSE events, pausing before each one when a delay is set; with {@code fail_after} the connection drops
	 * after that many content events (counted after {@code leading} preamble events).
	 */
	private static Mono<Void> stream(HttpServerResponse response, List<String> events, Settings settings,
			int leading) {
		Flux<String> body = Flux.fromIterable(events);
		if (settings.failAfter() >= 0) {
			body = body.take(leading + settings.failAfter())
				.concatWith(Flux.error(new IOException("Test LLM dropped the stream on request")));
		}
		if (!settings.delay().isZero()) {
			body = body.delayElements(settings.delay());
		}
		if (settings.stamp()) {
			// Taken as each event goes out: a client on the same machine subtracts it from the arrival time.
			body = body.map((event) -> ": sent-us " + epochMicros() + "\n" + event);
		}
		return response.status(HttpResponseStatus.OK)
			.header("Content-Type", EVENT_STREAM)
			.header("Cache-Control", "no-cache")
			.sendString(body, StandardCharsets.UTF_8)
			.then();
	}

	private static Mono<Void> json(HttpServerResponse response, JsonNode node) {
		return response.header("Content-Type", APPLICATION_JSON)
			.sendString(Mono.just(JSON.writeValueAsString(node)), StandardCharsets.UTF_8)
			.then();
	}

	private static Mono<Void> error(HttpServerResponse response, HttpResponseStatus status, String message,
			String type) {
		ObjectNode root = JSON.createObjectNode();
		root.putObject("error").put("message", message).put("type", type).putNull("code");
		return json(response.status(status), root);
	}

	/** Wall-clock microseconds since the epoch: comparable between processes of one machine. */
	static long epochMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
	}

	/**
	 * Chunk count, delay, failures and send-time stamps for one request: request headers and body win over server
	 * options.
	 */
	record Settings(int chunks, Duration delay, int status, int failAfter, boolean stamp) {

		static Settings of(TestLlmOptions options, HttpServerRequest request, JsonNode body) {
			JsonNode extension = body.path("test_llm");
			int chunks = intValue(extension.path("chunks"), header(request, CHUNKS_HEADER), options.chunks());
			long delayMs = intValue(extension.path("delay_ms"), header(request, DELAY_HEADER),
					(int) options.delay().toMillis());
			int status = extension.path("status").asInt(0);
			int failAfter = extension.path("fail_after").asInt(-1);
			boolean stamp = extension.path("stamp").asBoolean(false);
			return new Settings(Math.max(0, Math.min(chunks, 100_000)), Duration.ofMillis(Math.max(0, delayMs)),
					status, failAfter, stamp);
		}

		private static int intValue(JsonNode node, @Nullable String header, int fallback) {
			if (node.isNumber()) {
				return node.asInt();
			}
			if (header != null) {
				try {
					return Integer.parseInt(header.trim());
				}
				catch (NumberFormatException ex) {
					return fallback;
				}
			}
			return fallback;
		}

		private static @Nullable String header(HttpServerRequest request, String name) {
			return request.requestHeaders().get(name);
		}

	}

}
