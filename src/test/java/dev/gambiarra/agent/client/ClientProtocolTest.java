package dev.gambiarra.agent.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.gambiarra.agent.client.approval.AgentConsole;
import dev.gambiarra.agent.client.approval.ApprovalPolicy;
import dev.gambiarra.agent.client.approval.Approvals;
import dev.gambiarra.agent.client.security.CommandPolicy;
import dev.gambiarra.agent.client.security.CommandRunner;
import dev.gambiarra.agent.client.security.Workspace;
import dev.gambiarra.agent.client.tools.FileLimits;
import dev.gambiarra.agent.client.tools.ToolBox;

import static org.assertj.core.api.Assertions.assertThat;

/** The protocol handler fed with hub frames directly (no network). */
class ClientProtocolTest {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path root;

	final ByteArrayOutputStream printed = new ByteArrayOutputStream();

	ClientProtocol protocol(String mode, String answers, String task, boolean interactive) {
		AgentConsole console = new AgentConsole(new ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)),
				new PrintStream(this.printed, true, StandardCharsets.UTF_8));
		ToolBox tools = new ToolBox(Workspace.of(this.root), new ToolBox.Settings(null, FileLimits.defaults(),
				CommandPolicy.DEFAULT_ALLOW, CommandPolicy.DEFAULT_DENY, false,
				new CommandRunner(Duration.ofSeconds(10), 4096), List.of()),
				new Approvals(new ApprovalPolicy(true, true, false), console));
		return new ClientProtocol(JSON, tools, console,
				ClientProtocol.sessionStart(JSON, mode, JSON.readTree("{\"kind\":\"test\"}"), List.of(), "ws", "t"), task,
				interactive);
	}

	static JsonNode only(List<String> frames) {
		assertThat(frames).hasSize(1);
		return JSON.readTree(frames.get(0));
	}

	@Test
	void opensTheSessionSendsTheTaskAnswersToolsAndEndsAfterCompletion() throws IOException {
		Files.writeString(this.root.resolve("a.txt"), "one\n");
		ClientProtocol p = protocol("code", "", "read a.txt", false);
		JsonNode start = JSON.readTree(p.opening());
		assertThat(start.path("type").asString()).isEqualTo("session.start");
		assertThat(start.path("provider").path("kind").asString()).isEqualTo("test");
		assertThat(start.path("workspace").has("cwd")).as("the local path is not sent").isFalse();

		JsonNode task = only(p.handle("{\"type\":\"session.started\",\"seq\":1,\"sessionId\":\"s1\",\"resumeToken\":\"r\"}"));
		assertThat(task.path("type").asString()).isEqualTo("user.message");
		assertThat(task.path("text").asString()).isEqualTo("read a.txt");
		assertThat(p.handle("{\"type\":\"assistant.delta\",\"seq\":2,\"text\":\"Reading.\"}")).isEmpty();
		JsonNode result = only(p.handle("{\"type\":\"tool.request\",\"seq\":3,\"id\":\"t-1\",\"tool\":\"read_file\","
				+ "\"version\":\"1.0\",\"params\":{\"args\":{\"file\":[{\"path\":\"a.txt\"}]}},\"risk\":\"low\"}"));
		assertThat(result.path("type").asString()).isEqualTo("tool.result");
		assertThat(result.path("id").asString()).isEqualTo("t-1");
		assertThat(result.path("status").asString()).isEqualTo("ok");
		assertThat(result.path("output").asString()).contains("1 | one");
		assertThat(JSON.readTree(p.resume()).path("lastSeq").asLong()).isEqualTo(3);

		JsonNode end = only(p.handle("{\"type\":\"task.completed\",\"seq\":4,\"result\":\"done\",\"command\":null}"));
		assertThat(end.path("type").asString()).isEqualTo("session.end");
		assertThat(p.outcome()).isEqualTo(ClientProtocol.Outcome.COMPLETED);
		assertThat(this.printed.toString(StandardCharsets.UTF_8)).contains("Reading.", "✔ Task completed", "done");
	}

	@Test
	void answersFollowUpQuestionsWithASuggestionNumberOrText() {
		ClientProtocol p = protocol("code", "2\nmy own answer\n", "x", false);
		JsonNode picked = only(p.handle("{\"type\":\"followup.question\",\"id\":\"q-1\",\"question\":\"Which?\","
				+ "\"suggestions\":[\"argparse\",\"click\"]}"));
		assertThat(picked.path("type").asString()).isEqualTo("followup.answer");
		assertThat(picked.path("id").asString()).isEqualTo("q-1");
		assertThat(picked.path("text").asString()).isEqualTo("click");
		JsonNode typed = only(p.handle("{\"type\":\"followup.question\",\"id\":\"q-2\",\"question\":\"Name?\","
				+ "\"suggestions\":[]}"));
		assertThat(typed.path("text").asString()).isEqualTo("my own answer");
		assertThat(this.printed.toString(StandardCharsets.UTF_8)).contains("? Which?", "1) argparse", "2) click");
	}

	@Test
	void interactiveModeAsksForTheNextTaskAndEndsOnExit() {
		ClientProtocol p = protocol("code", "first task\nsecond task\nexit\n", null, true);
		assertThat(only(p.handle("{\"type\":\"session.started\",\"sessionId\":\"s\",\"resumeToken\":\"r\"}"))
			.path("text").asString()).isEqualTo("first task");
		assertThat(only(p.handle("{\"type\":\"task.failed\",\"code\":\"turn_limit\",\"message\":\"too long\"}"))
			.path("text").asString()).isEqualTo("second task");
		assertThat(p.finished()).isFalse();
		assertThat(only(p.handle("{\"type\":\"task.completed\",\"result\":\"ok\"}")).path("type").asString())
			.isEqualTo("session.end");
		assertThat(p.outcome()).isEqualTo(ClientProtocol.Outcome.COMPLETED);
	}

	@Test
	void printsTodosAndStopsOnAFatalError() {
		ClientProtocol p = protocol("code", "", "x", false);
		p.handle("{\"type\":\"todo.update\",\"items\":[{\"text\":\"read\",\"status\":\"completed\"},"
				+ "{\"text\":\"edit\",\"status\":\"in_progress\"},{\"text\":\"test\",\"status\":\"pending\"}]}");
		assertThat(this.printed.toString(StandardCharsets.UTF_8)).contains("[x] read", "[-] edit", "[ ] test");
		p.handle("{\"type\":\"error\",\"code\":\"invalid_provider\",\"message\":\"no such room\",\"fatal\":true}");
		assertThat(p.outcome()).isEqualTo(ClientProtocol.Outcome.FAILED);
	}

	@Test
	void askModeRefusesChangingToolsEvenIfTheHubSendsThem() {
		ClientProtocol p = protocol("ask", "", "x", false);
		JsonNode result = only(p.handle("{\"type\":\"tool.request\",\"id\":\"t-9\",\"tool\":\"write_to_file\","
				+ "\"params\":{\"args\":{\"path\":\"a.txt\",\"content\":\"x\"}}}"));
		assertThat(result.path("status").asString()).isEqualTo("error");
		assertThat(result.path("output").asString()).contains("read-only");
		assertThat(this.root.resolve("a.txt")).doesNotExist();
	}

	@Test
	void anUnknownToolIsAnErrorResultNotACrash() {
		ClientProtocol p = protocol("code", "", "x", false);
		JsonNode result = only(p.handle("{\"type\":\"tool.request\",\"id\":\"t-1\",\"tool\":\"browser_action\","
				+ "\"params\":{\"args\":{}}}"));
		assertThat(result.path("status").asString()).isEqualTo("error");
		assertThat(result.path("output").asString()).contains("does not support");
		assertThat(p.handle("not json")).isEmpty();
	}

}
