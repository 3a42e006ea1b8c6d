package dev.gambiarra.agent;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.testllm.ScriptedTurn;
import dev.gambiarra.testllm.TestLlmOptions;
import dev.gambiarra.testllm.TestLlmServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent end to end: a fake client over a real WebSocket, the hub, and a scripted model that streams its turns
 * in small chunks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.agent.provider.retry-backoff=10ms",
				"gambiarra.agent.provider.max-retry-backoff=20ms", "gambiarra.agent.provider.max-retries=2",
				"gambiarra.agent.provider.breaker-failures=100" })
class AgentWebSocketTests {

	static final ScriptedLlm llm = new ScriptedLlm();

	static final String TEST = "{\"kind\":\"test\"}";

	@DynamicPropertySource
	static void llmUrl(DynamicPropertyRegistry registry) {
		registry.add("gambiarra.agent.provider.test-llm-url", llm::baseUrl);
	}

	@LocalServerPort
	int port;

	@Autowired
	EventBus bus;

	@Autowired
	SessionManager sessions;

	final List<HubEvent> events = new CopyOnWriteArrayList<>();

	final List<AgentTestClient> clients = new CopyOnWriteArrayList<>();

	Disposable eventSubscription;

	@BeforeEach
	void reset() {
		llm.reset();
		this.eventSubscription = this.bus.all().subscribe(this.events::add);
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(AgentTestClient::close);
		this.eventSubscription.dispose();
	}

	@AfterAll
	static void stopLlm() {
		llm.close();
	}

	AgentTestClient connect() {
		AgentTestClient client = new AgentTestClient(URI.create("ws://127.0.0.1:" + this.port + "/agent"));
		this.clients.add(client);
		return client;
	}

	JsonNode start(AgentTestClient client, String mode, String provider) {
		client.send("{\"type\":\"session.start\",\"mode\":\"" + mode + "\",\"provider\":" + provider
				+ ",\"workspace\":{\"name\":\"demo\",\"os\":\"linux\"}}");
		return client.next("session.started");
	}

	@Test
	void runsAWholeTaskWithToolCallsQuestionsTodosAndCompletion() {
		llm.reply("I'll read it first.\n<read_file>\n<args>\n<file>\n<path>src/a.txt</path>\n</file>\n</args>\n</read_file>",
				"<write_to_file>\n<args>\n<path>x.txt</path>\n</args>\n</write_to_file>",
				"Now writing.\n<write_to_file>\n<args>\n<path>x.txt</path>\n<content>\nhello <b>&amp;</b>\n</content>\n"
						+ "<line_count>1</line_count>\n</args>\n</write_to_file> and then some ignored text",
				"<update_todo_list>\n<args>\n<todos>\n[x] read\n[-] write\n[ ] check\n</todos>\n</args>\n</update_todo_list>",
				"<ask_followup_question>\n<args>\n<question>Keep it?</question>\n<follow_up>\n<suggest>yes</suggest>\n"
						+ "<suggest>no</suggest>\n</follow_up>\n</args>\n</ask_followup_question>",
				"<attempt_completion>\n<args>\n<result>Wrote x.txt</result>\n</args>\n</attempt_completion>");
		AgentTestClient client = connect();
		JsonNode started = start(client, "code", TEST);
		assertThat(started.path("seq").asLong()).isEqualTo(1);
		assertThat(started.path("tools").findValuesAsString("name")).contains("write_to_file", "execute_command");

		client.send("{\"type\":\"user.message\",\"text\":\"make x.txt\"}");
		String taskId = client.next("task.started").path("taskId").asString();
		JsonNode read = client.next("tool.request");
		assertThat(read.path("tool").asString()).isEqualTo("read_file");
		assertThat(read.path("risk").asString()).isEqualTo("low");
		assertThat(read.path("taskId").asString()).isEqualTo(taskId);
		assertThat(read.path("params").path("args").path("file").path(0).path("path").asString()).isEqualTo("src/a.txt");
		String prose = client.received.stream()
			.filter((m) -> m.path("type").asString().equals("assistant.delta"))
			.map((m) -> m.path("text").asString())
			.reduce("", String::concat);
		assertThat(prose).isEqualTo("I'll read it first.\n");
		client.send("{\"type\":\"tool.result\",\"id\":\"" + read.path("id").asString()
				+ "\",\"status\":\"ok\",\"output\":\"1 | hi\"}");

		JsonNode write = client.next("tool.request");
		assertThat(write.path("tool").asString()).isEqualTo("write_to_file");
		assertThat(write.path("risk").asString()).isEqualTo("medium");
		JsonNode args = write.path("params").path("args");
		assertThat(args.path("content").asString()).isEqualTo("hello <b>&amp;</b>\n");
		assertThat(args.path("line_count").isNumber()).isTrue();
		// the invalid call in between never reached the client, the model got the error instead
		assertThat(llm.lastMessage(1)).startsWith("[read_file] Result:\n1 | hi");
		assertThat(llm.lastMessage(2)).contains("[ERROR]", "write_to_file", "Missing required parameter <content>");
		client.send("{\"type\":\"tool.result\",\"id\":\"" + write.path("id").asString()
				+ "\",\"status\":\"denied\",\"feedback\":\"fine, go on\"}");

		JsonNode todos = client.next("todo.update");
		assertThat(todos.path("items").findValuesAsString("status")).containsExactly("completed", "in_progress",
				"pending");
		JsonNode question = client.next("followup.question");
		assertThat(question.path("question").asString()).isEqualTo("Keep it?");
		assertThat(question.path("suggestions").values()).extracting(JsonNode::asString).containsExactly("yes", "no");
		assertThat(llm.lastMessage(3)).contains("denied", "fine, go on");
		client.send("{\"type\":\"followup.answer\",\"id\":\"" + question.path("id").asString()
				+ "\",\"text\":\"yes\"}");

		JsonNode completed = client.next("task.completed");
		assertThat(completed.path("result").asString()).isEqualTo("Wrote x.txt");
		assertThat(completed.path("taskId").asString()).isEqualTo(taskId);
		assertThat(llm.lastMessage(5)).contains("The user answered", "yes");
		assertThat(client.count("tool.request")).isEqualTo(2);
		assertThat(client.received).extracting((m) -> m.path("seq").asLong()).isSorted();
		// the assistant message kept in the conversation stops at the end of the call
		JsonNode assistant = llm.requests.get(3).path("messages");
		assertThat(assistant.path(assistant.size() - 2).path("content").asString()).endsWith("</write_to_file>");

		await().untilAsserted(() -> assertThat(this.events).extracting(HubEvent::type)
			.contains("agent:session-started", "agent:tool-call", "agent:completed"));
		assertThat(this.events.toString()).doesNotContain("hello <b>");
	}

	@Test
	void runsAgainstTheBuiltInTestLlmInScriptedMode() {
		TestLlmOptions options = TestLlmOptions.defaults()
			.withChunks(9)
			.withScript(List.of(
					ScriptedTurn.text("Looking.\n<search_files>\n<args>\n<path>src</path>\n<regex>TODO\\b</regex>\n"
							+ "</args>\n</search_files>"),
					ScriptedTurn.text("<attempt_completion>\n<args>\n<result>No TODOs left.</result>\n</args>\n"
							+ "</attempt_completion>")));
		try (TestLlmServer testLlm = TestLlmServer.start(options)) {
			AgentTestClient client = connect();
			start(client, "ask", "{\"kind\":\"openai\",\"baseUrl\":\"" + testLlm.baseUrl()
					+ "/v1\",\"model\":\"test-llm\"}");
			client.send("{\"type\":\"user.message\",\"text\":\"any TODOs?\"}");
			JsonNode search = client.next("tool.request");
			assertThat(search.path("params").path("args").path("regex").asString()).isEqualTo("TODO\\b");
			client.send("{\"type\":\"tool.result\",\"id\":\"" + search.path("id").asString()
					+ "\",\"status\":\"ok\",\"output\":\"(no matches)\"}");
			assertThat(client.next("task.completed").path("result").asString()).isEqualTo("No TODOs left.");
			assertThat(testLlm.requestCount()).isEqualTo(2);
		}
	}

	@Test
	void askModeOffersOnlyReadOnlyToolsAndTellsTheModelWhenItReachesForOthers() {
		llm.reply("<execute_command>\n<args>\n<command>rm -rf /</command>\n</args>\n</execute_command>",
				"The answer is 42.");
		AgentTestClient client = connect();
		JsonNode started = start(client, "ask", TEST);
		assertThat(started.path("tools").findValuesAsString("name")).contains("read_file")
			.doesNotContain("write_to_file", "execute_command", "insert_content", "search_and_replace");
		client.send("{\"type\":\"user.message\",\"text\":\"what is it?\"}");
		JsonNode completed = client.next("task.completed");
		assertThat(completed.path("result").asString()).isEqualTo("The answer is 42.");
		assertThat(client.count("tool.request")).isZero();
		assertThat(llm.lastMessage(1)).contains("[ERROR]", "not available");
		assertThat(llm.requests.get(0).path("messages").path(0).path("content").asString())
			.contains("ASK mode", "## read_file").doesNotContain("## write_to_file");
	}

	@Test
	void retriesAFailingProviderBeforeTheFirstToken() {
		llm.fail(503, 2).reply("<attempt_completion><args><result>ok</result></args></attempt_completion>");
		AgentTestClient client = connect();
		start(client, "code", TEST);
		client.send("{\"type\":\"user.message\",\"text\":\"go\"}");
		assertThat(client.next("task.completed").path("result").asString()).isEqualTo("ok");
		assertThat(llm.served.get()).isEqualTo(3);
	}

	@Test
	void saysWhyWhenNoProviderCanAnswer() {
		llm.fail(503, 3);
		AgentTestClient client = connect();
		start(client, "code", "{\"kind\":\"openai\",\"baseUrl\":\"" + llm.baseUrl()
				+ "\",\"model\":\"m\"},\"fallbacks\":[{\"kind\":\"openai\",\"baseUrl\":\"http://127.0.0.1:1/v1\",\"model\":\"m\"}]");
		client.send("{\"type\":\"user.message\",\"text\":\"go\"}");
		JsonNode failed = client.next("task.failed");
		assertThat(failed.path("code").asString()).isEqualTo("no_provider");
		assertThat(failed.path("message").asString()).contains("HTTP 503", "127.0.0.1:1/v1", "connection refused");
		await().untilAsserted(() -> assertThat(this.events).extracting(HubEvent::type).contains("agent:error"));
	}

	@Test
	void drivesTheTaskWithAModelFromAProtectedRoomAndTellsTheRoom() {
		// argon2 hashing of the room password is slow on a busy machine
		WebTestClient http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		JsonNode room = http.post().uri("/rooms").bodyValue(Map.of("name", "club", "password", "s3cret"))
			.exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
		String code = room.path("room").path("code").asString();
		http.post().uri("/rooms/" + code + "/join").bodyValue(Map.of("id", "p1", "nickname", "ana", "model",
				"qwen", "endpoint", llm.baseUrl().replace("/v1", ""), "password", "s3cret"))
			.exchange().expectStatus().isCreated();
		List<HubEvent> roomEvents = new CopyOnWriteArrayList<>();
		Disposable subscription = this.bus.room(code).subscribe(roomEvents::add);
		try {
			AgentTestClient wrong = connect();
			wrong.send("{\"type\":\"session.start\",\"provider\":{\"kind\":\"room\",\"room\":\"" + code
					+ "\",\"password\":\"nope\"}}");
			assertThat(wrong.next("error").path("message").asString()).contains("Invalid password");

			llm.reply("<attempt_completion><args><result>from the room</result></args></attempt_completion>");
			AgentTestClient client = connect();
			start(client, "code", "{\"kind\":\"room\",\"room\":\"" + code.toLowerCase(java.util.Locale.ROOT)
					+ "\",\"model\":\"model:qwen\",\"password\":\"s3cret\"}");
			client.send("{\"type\":\"user.message\",\"text\":\"hi\"}");
			assertThat(client.next("task.completed").path("result").asString()).isEqualTo("from the room");
			assertThat(llm.requests.get(0).path("model").asString()).isEqualTo("qwen");
			await().untilAsserted(() -> assertThat(roomEvents).extracting(HubEvent::type)
				.contains("agent:session-started", "llm:request", "agent:tool-call", "agent:completed"));
			assertThat(roomEvents.toString()).doesNotContain("s3cret");
		}
		finally {
			subscription.dispose();
		}
	}

	@Test
	void refusesAnUnknownRoomAtSessionStart() {
		AgentTestClient client = connect();
		client.send("{\"type\":\"session.start\",\"provider\":{\"kind\":\"room\",\"room\":\"NOPE00\"}}");
		JsonNode error = client.next("error");
		assertThat(error.path("code").asString()).isEqualTo("invalid_provider");
		assertThat(error.path("message").asString()).contains("NOPE00", "Room not found");
		assertThat(error.path("fatal").asBoolean()).isTrue();
		await().until(client::isClosed);
	}

	@Test
	void resumesASessionAfterTheConnectionDrops() {
		llm.reply("<list_files>\n<args>\n<path>.</path>\n</args>\n</list_files>",
				"<attempt_completion><args><result>listed</result></args></attempt_completion>");
		AgentTestClient first = connect();
		JsonNode started = start(first, "code", TEST);
		first.send("{\"type\":\"user.message\",\"text\":\"list\"}");
		long taskStartedSeq = first.next("task.started").path("seq").asLong();
		first.next("tool.request");
		first.close();

		AgentTestClient intruder = connect();
		intruder.send("{\"type\":\"session.resume\",\"sessionId\":\"" + started.path("sessionId").asString()
				+ "\",\"resumeToken\":\"wrong\",\"lastSeq\":0}");
		assertThat(intruder.next("error").path("code").asString()).isEqualTo("unknown_session");

		AgentTestClient second = connect();
		second.send("{\"type\":\"session.resume\",\"sessionId\":\"" + started.path("sessionId").asString()
				+ "\",\"resumeToken\":\"" + started.path("resumeToken").asString() + "\",\"lastSeq\":"
				+ taskStartedSeq + "}");
		JsonNode resumed = second.next("session.resumed");
		assertThat(resumed.path("gap").asBoolean()).isFalse();
		JsonNode request = second.next("tool.request");
		assertThat(request.path("seq").asLong()).isGreaterThan(taskStartedSeq);
		assertThat(request.path("tool").asString()).isEqualTo("list_files");
		second.send("{\"type\":\"tool.result\",\"id\":\"" + request.path("id").asString()
				+ "\",\"status\":\"ok\",\"output\":\"a.txt\"}");
		assertThat(second.next("task.completed").path("result").asString()).isEqualTo("listed");
	}

	@Test
	void cancelStopsTheModelStreamAndTheSessionGoesOn() {
		llm.endless().reply("<attempt_completion><args><result>second</result></args></attempt_completion>");
		AgentTestClient client = connect();
		start(client, "code", TEST);
		client.send("{\"type\":\"user.message\",\"text\":\"think forever\"}");
		client.next("assistant.delta");
		client.send("{\"type\":\"cancel\"}");
		client.next("task.cancelled");
		await().atMost(Duration.ofSeconds(5)).untilTrue(llm.cancelled);
		client.send("{\"type\":\"user.message\",\"text\":\"again\"}");
		assertThat(client.next("task.completed").path("result").asString()).isEqualTo("second");
	}

	@Test
	void endsTasksThatRunTooLongOrKeepMakingInvalidCalls() {
		for (int i = 0; i < 30; i++) {
			llm.reply("<update_todo_list><args><todos>[-] step " + i + "</todos></args></update_todo_list>");
		}
		AgentTestClient client = connect();
		start(client, "code", TEST);
		client.send("{\"type\":\"user.message\",\"text\":\"loop\"}");
		JsonNode failed = client.next("task.failed");
		assertThat(failed.path("code").asString()).isEqualTo("turn_limit");
		assertThat(llm.served.get()).isEqualTo(25);
		assertThat(client.count("todo.update")).isEqualTo(25);

		llm.reset();
		for (int i = 0; i < 10; i++) {
			llm.reply("<read_file><args><file></file></args></read_file>");
		}
		client.send("{\"type\":\"user.message\",\"text\":\"read\"}");
		failed = client.next("task.failed");
		assertThat(failed.path("code").asString()).isEqualTo("invalid_tool_calls");
		assertThat(failed.path("message").asString()).contains("Missing required parameter <file>/<path>");
		assertThat(llm.served.get()).isEqualTo(4);
		assertThat(client.count("tool.request")).isZero();
	}

	@Test
	void anIdleSessionExpiresAndCannotBeResumed() {
		AgentTestClient client = connect();
		JsonNode started = start(client, "code", TEST);
		assertThat(this.sessions.sweep()).isZero();
		assertThat(this.sessions.sweep(Duration.ZERO)).isPositive();
		JsonNode expired = client.next("error");
		assertThat(expired.path("code").asString()).isEqualTo("session_expired");
		assertThat(expired.path("fatal").asBoolean()).isTrue();
		await().until(client::isClosed);
		AgentTestClient again = connect();
		again.send("{\"type\":\"session.resume\",\"sessionId\":\"" + started.path("sessionId").asString()
				+ "\",\"resumeToken\":\"" + started.path("resumeToken").asString() + "\",\"lastSeq\":1}");
		assertThat(again.next("error").path("code").asString()).isEqualTo("unknown_session");
		await().untilAsserted(() -> assertThat(this.events).anySatisfy((event) -> {
			assertThat(event.type()).isEqualTo("agent:error");
			assertThat(event.data().toString()).contains("session_expired");
		}));
	}

	@Test
	void refusesSessionsBeyondTheLimit() {
		int held = 0;
		while (this.sessions.reserve()) {
			held++;
		}
		try {
			AgentTestClient client = connect();
			client.send("{\"type\":\"session.start\",\"provider\":" + TEST + "}");
			JsonNode error = client.next("error");
			assertThat(error.path("code").asString()).isEqualTo("too_many_sessions");
			await().until(client::isClosed);
		}
		finally {
			for (int i = 0; i < held; i++) {
				this.sessions.release();
			}
		}
		start(connect(), "code", TEST);
	}

	@Test
	void closesTheSocketOnAFrameLargerThanTheLimit() {
		AgentTestClient client = connect();
		start(client, "code", TEST);
		client.send("{\"type\":\"user.message\",\"text\":\"" + "x".repeat(900_000) + "\"}");
		client.next("task.completed");
		client.send("{\"type\":\"user.message\",\"text\":\"" + "x".repeat(1_100_000) + "\"}");
		await().atMost(Duration.ofSeconds(30)).until(client::isClosed);
		assertThat(client.count("task.started")).isOne();
		// the oversized message never reached the model, and the large one was cut to the context budget
		assertThat(llm.served.get()).isOne();
		assertThat(llm.lastMessage(0)).hasSizeLessThan(64_000).endsWith("[…cut to fit]");
	}

	@Test
	void answersProtocolMistakesWithErrors() {
		AgentTestClient client = connect();
		client.send("not json");
		assertThat(client.next("error").path("code").asString()).isEqualTo("invalid_json");
		client.send("{\"type\":\"user.message\",\"text\":\"hi\"}");
		assertThat(client.next("error").path("code").asString()).isEqualTo("no_session");
		start(client, "code", TEST);
		client.send("{\"type\":\"tool.result\",\"id\":\"t-9\",\"status\":\"ok\",\"output\":\"\"}");
		assertThat(client.next("error").path("code").asString()).isEqualTo("unknown_request");
		client.send("{\"type\":\"bogus\"}");
		assertThat(client.next("error").path("code").asString()).isEqualTo("unknown_type");
		client.send("{\"type\":\"ping\"}");
		client.next("pong");
	}

}
