package dev.gambiarra.testllm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.gambiarra.testllm.ScriptedTurn.ToolCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestLlmServerTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private TestLlmServer server;

	@AfterEach
	void close() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void listsItsModelsTheOpenAiAndTheOllamaWay() throws Exception {
		this.server = TestLlmServer.start(TestLlmOptions.defaults().withModels(List.of("alpha", "beta")));
		JsonNode models = JSON.readTree(get("/v1/models").body());
		assertThat(models.path("data").findValuesAsString("id")).containsExactly("alpha", "beta");
		JsonNode tags = JSON.readTree(get("/api/tags").body());
		assertThat(tags.path("models").findValuesAsString("name")).containsExactly("alpha", "beta");
		assertThat(get("/v1/models/beta").statusCode()).isEqualTo(200);
		assertThat(get("/v1/models/gamma").statusCode()).isEqualTo(404);
		assertThat(get("/nowhere").statusCode()).isEqualTo(404);
	}

	@Test
	void answersAChatDeterministicallyWithUsage() throws Exception {
		this.server = TestLlmServer.start(TestLlmOptions.defaults());
		String body = """
				{"model":"test-llm","messages":[{"role":"system","content":"be brief"},
				{"role":"user","content":"what is a gambiarra"}]}""";
		HttpResponse<String> first = post("/v1/chat/completions", body);
		HttpResponse<String> second = post("/v1/chat/completions", body);
		assertThat(first.statusCode()).isEqualTo(200);
		JsonNode answer = JSON.readTree(first.body());
		assertThat(answer.path("object").asString()).isEqualTo("chat.completion");
		String content = answer.path("choices").path(0).path("message").path("content").asString();
		assertThat(content).isEqualTo("Hello from the Gambiarra test LLM! You said: what is a gambiarra");
		assertThat(JSON.readTree(second.body()).path("choices").path(0).path("message").path("content").asString())
			.isEqualTo(content);
		assertThat(answer.path("choices").path(0).path("finish_reason").asString()).isEqualTo("stop");
		JsonNode usage = answer.path("usage");
		assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(6);
		assertThat(usage.path("completion_tokens").asInt()).isEqualTo(Answers.words(content).size());
		assertThat(usage.path("total_tokens").asInt()).isEqualTo(6 + Answers.words(content).size());
		assertThat(this.server.requests()).hasSize(2);
	}

	@Test
	void streamsTheSameAnswerInTheConfiguredNumberOfChunks() throws Exception {
		this.server = TestLlmServer.start(TestLlmOptions.defaults().withChunks(64));
		String request = """
				{"messages":[{"role":"user","content":"hello"}],"stream":true,
				"stream_options":{"include_usage":true}}""";
		HttpResponse<String> response = post("/v1/chat/completions", request);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
		List<String> data = dataLines(response.body());
		assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
		List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(JSON::readTree).toList();
		StringBuilder content = new StringBuilder();
		int contentChunks = 0;
		for (JsonNode chunk : chunks) {
			JsonNode delta = chunk.path("choices").path(0).path("delta");
			if (delta.has("content") && !delta.path("content").asString().isEmpty()) {
				content.append(delta.path("content").asString());
				contentChunks++;
			}
		}
		assertThat(contentChunks).isEqualTo(64);
		assertThat(content.toString()).startsWith("Hello from the Gambiarra test LLM! You said: hello");
		JsonNode finish = chunks.get(chunks.size() - 2);
		assertThat(finish.path("choices").path(0).path("finish_reason").asString()).isEqualTo("stop");
		JsonNode usage = chunks.get(chunks.size() - 1);
		assertThat(usage.path("choices").isEmpty()).isTrue();
		assertThat(usage.path("usage").path("completion_tokens").asInt()).isEqualTo(64);
	}

	@Test
	void aRequestChoosesItsOwnChunksAndDelay() throws Exception {
		this.server = TestLlmServer.start(TestLlmOptions.defaults());
		HttpRequest viaHeader = HttpRequest.newBuilder(uri("/v1/chat/completions"))
			.header("Content-Type", "application/json")
			.header("X-Test-Llm-Chunks", "3")
			.POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
					+ "\"stream\":true}"))
			.build();
		List<String> viaHeaderData = dataLines(this.client.send(viaHeader, HttpResponse.BodyHandlers.ofString()).body());
		assertThat(viaHeaderData).hasSize(1 + 3 + 1 + 1);
		long start = System.nanoTime();
		List<String> viaBody = dataLines(post("/v1/chat/completions",
				"{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true,"
						+ "\"test_llm\":{\"chunks\":5,\"delay_ms\":40}}")
			.body());
		assertThat(viaBody).hasSize(1 + 5 + 1 + 1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(7 * 40));
	}

	@Test
	void stampsEachStreamedEventWithItsSendTimeWhenAsked() throws Exception {
		this.server = TestLlmServer.start(TestLlmOptions.defaults());
		long before = TestLlmServer.epochMicros();
		String body = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
				+ "\"stream\":true,\"test_llm\":{\"chunks\":4,\"delay_ms\":20,\"stamp\":true}}")
			.body();
		long after = TestLlmServer.epochMicros();
		List<String> lines = body.lines().filter((line) -> !line.isEmpty()).toList();
		assertThat(dataLines(body)).hasSize(1 + 4 + 1 + 1);
		long previous = before;
		for (int i = 0; i < lines.size(); i += 2) {
			assertThat(lines.get(i)).startsWith(": sent-us ");
			assertThat(lines.get(i + 1)).startsWith("data: ");
			long sent = Long.parseLong(lines.get(i).substring(": sent-us ".length()));
			assertThat(sent).isBetween(previous, after);
			previous = sent;
		}
		assertThat(previous - before).as("7 events, 20 ms apart").isGreaterThanOrEqualTo(6 * 20_000);
		assertThat(post("/v1/chat/completions", "{\"messages\":[],\"stream\":true}").body()).doesNotContain("sent-us");
	}

	@Test
	void failsOnRequestWithAStatusOrADroppedStream() throws Exception {
		this.server = TestLlmServer.start(TestLlmOptions.defaults());
		HttpResponse<String> failed = post("/v1/chat/completions",
				"{\"messages\":[],\"test_llm\":{\"status\":503}}");
		assertThat(failed.statusCode()).isEqualTo(503);
		assertThat(JSON.readTree(failed.body()).path("error").path("message").asString()).contains("503");
		HttpRequest dropping = HttpRequest.newBuilder(uri("/v1/chat/completions"))
			.POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"a b c d\"}],"
					+ "\"stream\":true,\"test_llm\":{\"chunks\":8,\"fail_after\":2}}"))
			.build();
		assertThatThrownBy(() -> this.client.send(dropping, HttpResponse.BodyHandlers.ofString()))
			.isInstanceOf(IOException.class);
		assertThat(post("/v1/chat/completions", "{not json").statusCode()).isEqualTo(400);
	}

	@Test
	void replaysAScriptOfToolCallsAndTextThenSaysItIsExhausted() throws Exception {
		this.server = TestLlmServer.start(TestLlmOptions.defaults()
			.withScript(List.of(ScriptedTurn.toolCalls(new ToolCall("call_1", "read_file", "{\"path\":\"a.txt\"}")),
					ScriptedTurn.text("The file says hi."))));
		JsonNode first = JSON.readTree(post("/v1/chat/completions",
				"{\"messages\":[{\"role\":\"user\",\"content\":\"read a.txt\"}]}")
			.body());
		JsonNode choice = first.path("choices").path(0);
		assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
		assertThat(choice.path("message").path("content").isNull()).isTrue();
		JsonNode call = choice.path("message").path("tool_calls").path(0);
		assertThat(call.path("id").asString()).isEqualTo("call_1");
		assertThat(call.path("function").path("name").asString()).isEqualTo("read_file");
		assertThat(call.path("function").path("arguments").asString()).isEqualTo("{\"path\":\"a.txt\"}");
		assertThat(this.server.remainingTurns()).isEqualTo(1);

		List<String> streamed = dataLines(post("/v1/chat/completions",
				"{\"messages\":[{\"role\":\"tool\",\"content\":\"hi\"}],\"stream\":true}")
			.body());
		StringBuilder text = new StringBuilder();
		for (String data : streamed.subList(0, streamed.size() - 1)) {
			text.append(JSON.readTree(data).path("choices").path(0).path("delta").path("content").asString(""));
		}
		assertThat(text.toString()).isEqualTo("The file says hi.");

		HttpResponse<String> exhausted = post("/v1/chat/completions", "{\"messages\":[]}");
		assertThat(exhausted.statusCode()).isEqualTo(500);
		assertThat(exhausted.body()).contains("script exhausted");
		assertThat(this.server.requests()).hasSize(3);
	}

	@Test
	void streamsToolCallsAsOpenAiDoes() throws Exception {
		this.server = TestLlmServer.start(TestLlmOptions.defaults()
			.withScript(List.of(ScriptedTurn.toolCalls(new ToolCall("call_7", "ls", "{}")))));
		List<String> data = dataLines(post("/v1/chat/completions", "{\"messages\":[],\"stream\":true}").body());
		JsonNode head = JSON.readTree(data.get(1)).path("choices").path(0).path("delta").path("tool_calls").path(0);
		assertThat(head.path("id").asString()).isEqualTo("call_7");
		assertThat(head.path("function").path("name").asString()).isEqualTo("ls");
		JsonNode args = JSON.readTree(data.get(2)).path("choices").path(0).path("delta").path("tool_calls").path(0);
		assertThat(args.path("function").path("arguments").asString()).isEqualTo("{}");
		assertThat(JSON.readTree(data.get(3)).path("choices").path(0).path("finish_reason").asString())
			.isEqualTo("tool_calls");
	}

	@Test
	void completesLegacyPrompts() throws Exception {
		this.server = TestLlmServer.start(TestLlmOptions.defaults().withChunks(2));
		JsonNode plain = JSON.readTree(post("/v1/completions", "{\"prompt\":\"say hi\"}").body());
		assertThat(plain.path("choices").path(0).path("text").asString()).endsWith("You said: say hi");
		assertThat(plain.path("usage").path("prompt_tokens").asInt()).isEqualTo(2);
		List<String> streamed = dataLines(post("/v1/completions", "{\"prompt\":\"say hi\",\"stream\":true}").body());
		assertThat(streamed).hasSize(2 + 1 + 1).endsWith("[DONE]");
	}

	@Test
	void embedsTextInDeterministicUnitVectors() throws Exception {
		this.server = TestLlmServer.start(TestLlmOptions.defaults().withEmbeddingDimensions(16));
		JsonNode first = JSON.readTree(post("/v1/embeddings", "{\"input\":[\"a cat\",\"a dog\"]}").body());
		JsonNode again = JSON.readTree(post("/v1/embeddings", "{\"input\":\"a cat\"}").body());
		JsonNode cat = first.path("data").path(0).path("embedding");
		assertThat(cat.size()).isEqualTo(16);
		assertThat(again.path("data").path(0).path("embedding")).isEqualTo(cat);
		assertThat(first.path("data").path(1).path("embedding")).isNotEqualTo(cat);
		double norm = 0;
		for (JsonNode value : cat) {
			norm += value.asDouble() * value.asDouble();
		}
		assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
		assertThat(first.path("usage").path("prompt_tokens").asInt()).isEqualTo(4);
		assertThat(post("/v1/embeddings", "{}").statusCode()).isEqualTo(400);
	}

	@Test
	void readsScriptsFromJson() {
		List<ScriptedTurn> turns = TestLlmScript.parse("""
				{"turns":[{"tool_calls":[{"id":"c1","name":"read_file","arguments":{"path":"x"}}]},
				{"content":"done"}]}""");
		assertThat(turns).hasSize(2);
		assertThat(turns.get(0).toolCalls().get(0).arguments()).isEqualTo("{\"path\":\"x\"}");
		assertThat(turns.get(1).content()).isEqualTo("done");
		assertThat(TestLlmScript.parse("[{\"content\":\"bare\"}]")).hasSize(1);
		assertThatThrownBy(() -> TestLlmScript.parse("[{}]")).hasMessageContaining("needs content or tool_calls");
		assertThatThrownBy(() -> TestLlmScript.parse("{")).hasMessageContaining("not valid JSON");
	}

	@Test
	void splitsAnswersIntoExactlyTheRequestedChunks() {
		assertThat(Answers.chunks("a b c d e", 2)).containsExactly("a b c", " d e");
		assertThat(String.join("", Answers.chunks("a b c d e", 0))).isEqualTo("a b c d e");
		assertThat(Answers.chunks("a", 3)).hasSize(3).first().isEqualTo("a");
	}

	private URI uri(String path) {
		return URI.create(this.server.baseUrl() + path);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.client.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static List<String> dataLines(String body) {
		List<String> data = new ArrayList<>();
		body.lines().filter((line) -> line.startsWith("data: ")).forEach((line) -> data.add(line.substring(6)));
		return data;
	}

}
