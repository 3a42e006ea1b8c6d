package dev.gambiarra.agent.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
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

/**
 * A fake hub (a real WebSocket server) that drops the first connection right after asking for a tool, so the
 * client's answer is lost: the client resumes the session and sends the answer again, without running the tool twice.
 */
class AgentClientResumeTest {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path root;

	@Test
	void resumesADroppedSessionAndResendsTheLostAnswer() throws IOException {
		Files.writeString(this.root.resolve("a.txt"), "one\n");
		AtomicInteger connections = new AtomicInteger();
		List<String> received = new CopyOnWriteArrayList<>();
		DisposableServer hub = HttpServer.create().host("127.0.0.1").port(0).route((routes) -> routes.ws("/agent",
				(in, out) -> {
					int connection = connections.incrementAndGet();
					Flux<String> frames = in.receive().asString().doOnNext(received::add);
					if (connection == 1) {
						// answer session.start and the task, then hang up before the tool result can arrive
						return out.sendString(frames.take(2).map((frame) -> type(frame).equals("session.start")
								? "{\"type\":\"session.started\",\"seq\":1,\"sessionId\":\"s-1\",\"resumeToken\":\"rt\"}"
								: "{\"type\":\"tool.request\",\"seq\":2,\"taskId\":\"k1\",\"id\":\"t-1\",\"tool\":\"read_file\","
										+ "\"version\":\"1.0\",\"params\":{\"args\":{\"file\":[{\"path\":\"a.txt\"}]}},"
										+ "\"risk\":\"low\"}"))
							.then();
					}
					return out.sendString(frames.takeUntil((frame) -> type(frame).equals("session.end"))
						.concatMap((frame) -> switch (type(frame)) {
							case "session.resume" -> Mono.just("{\"type\":\"session.resumed\",\"seq\":2,\"sessionId\":"
									+ "\"s-1\",\"mode\":\"code\",\"lastSeq\":2,\"replayed\":0,\"gap\":false}");
							case "tool.result" -> Mono.just("{\"type\":\"task.completed\",\"seq\":3,\"taskId\":\"k1\","
									+ "\"result\":\"read it\",\"command\":null}");
							default -> Mono.empty();
						}))
						.then();
				}))
			.bindNow();
		try {
			ByteArrayOutputStream printed = new ByteArrayOutputStream();
			AgentConsole console = new AgentConsole(new ByteArrayInputStream(new byte[0]),
					new PrintStream(printed, true, StandardCharsets.UTF_8));
			ToolBox tools = new ToolBox(Workspace.of(this.root), new ToolBox.Settings(null, FileLimits.defaults(),
					CommandPolicy.DEFAULT_ALLOW, CommandPolicy.DEFAULT_DENY, false,
					new CommandRunner(Duration.ofSeconds(5), 4096), List.of()),
					new Approvals(new ApprovalPolicy(true, false, false), console));
			AgentClient.Options options = new AgentClient.Options(URI.create("http://127.0.0.1:" + hub.port()), null,
					"code", JSON.readTree("{\"kind\":\"test\"}"), List.of(), "read a.txt", false, Duration.ofSeconds(5),
					2, Duration.ofMillis(50));

			AgentClient.Result result = new AgentClient(options, tools, console, JSON).run();

			assertThat(result.completed()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
			assertThat(result.toolCalls()).as("the tool ran once").isEqualTo(1);
			assertThat(connections.get()).isEqualTo(2);
			JsonNode resume = received.stream().map(JSON::readTree)
				.filter((msg) -> msg.path("type").asString().equals("session.resume"))
				.findFirst()
				.orElseThrow();
			assertThat(resume.path("sessionId").asString()).isEqualTo("s-1");
			assertThat(resume.path("resumeToken").asString()).isEqualTo("rt");
			assertThat(resume.path("lastSeq").asLong()).isEqualTo(2);
			JsonNode resent = received.stream().map(JSON::readTree)
				.filter((msg) -> msg.path("type").asString().equals("tool.result"))
				.reduce((first, second) -> second)
				.orElseThrow();
			assertThat(resent.path("id").asString()).isEqualTo("t-1");
			assertThat(resent.path("output").asString()).contains("1 | one");
			assertThat(printed.toString(StandardCharsets.UTF_8)).contains("connection lost; resuming",
					"session resumed", "✔ Task completed");
		}
		finally {
			hub.disposeNow();
		}
	}

	@Test
	void givesUpWhenTheHubIsGone() {
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		AgentConsole console = new AgentConsole(new ByteArrayInputStream(new byte[0]),
				new PrintStream(printed, true, StandardCharsets.UTF_8));
		DisposableServer hub = HttpServer.create().host("127.0.0.1").port(0).route((routes) -> routes.ws("/agent",
				(in, out) -> out.sendString(in.receive().asString().take(1).map((frame) ->
						"{\"type\":\"session.started\",\"seq\":1,\"sessionId\":\"s\",\"resumeToken\":\"r\"}"))
					.then()))
			.bindNow();
		try {
			ToolBox tools = new ToolBox(Workspace.of(this.root), new ToolBox.Settings(null, FileLimits.defaults(),
					List.of(), List.of(), false, new CommandRunner(Duration.ofSeconds(5), 4096), List.of()),
					new Approvals(ApprovalPolicy.askAlways(), console));
			AgentClient.Options options = new AgentClient.Options(URI.create("http://127.0.0.1:" + hub.port()), null,
					"code", JSON.readTree("{\"kind\":\"test\"}"), List.of(), "x", false, Duration.ofSeconds(5), 1,
					Duration.ofMillis(10));
			AgentClient.Result result = new AgentClient(options, tools, console, JSON).run();
			assertThat(result.completed()).isFalse();
			assertThat(printed.toString(StandardCharsets.UTF_8)).contains("resuming the session (attempt 1 of 1)");
		}
		finally {
			hub.disposeNow();
		}
	}

	private static String type(String frame) {
		return JSON.readTree(frame).path("type").asString("");
	}

}
