package dev.gambiarra.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.rooms.CreatedRoom;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Registration;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.shell.CliException;
import dev.gambiarra.support.DemoHubTest;
import dev.gambiarra.testllm.TestLlmOptions;
import dev.gambiarra.testllm.TestLlmServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The one-shot client commands, called directly, against a real hub on a random port. */
@DemoHubTest
class ClientCommandsTest {

	@LocalServerPort
	private int port;

	@Autowired
	private RoomService rooms;

	@Autowired
	private EventBus events;

	@Autowired
	private CliProperties properties;

	@Autowired
	private CliHttp http;

	private final StringWriter output = new StringWriter();

	private TestLlmServer llm;

	@AfterEach
	void stopLlm() {
		if (this.llm != null) {
			this.llm.close();
		}
	}

	@Test
	void createsAndListsRooms() {
		commands().create("Club night", null, false, hub(), context(this.output));
		assertThat(this.output.toString()).containsPattern("Room [A-Z0-9]{6} \"Club night\" created")
			.contains("Host secret", "/v1");
		StringWriter table = new StringWriter();
		commands().list(false, hub(), context(table));
		assertThat(table.toString()).contains("CODE", "Club night", "DEMO42");
		StringWriter json = new StringWriter();
		commands().list(true, hub(), context(json));
		assertThat(Reply.parse(json.toString()).path("rooms").findValuesAsString("name")).contains("Club night");
	}

	@Test
	void reportsAnUnreachableHubOrABadUrlInOneLine() {
		String closed = "http://127.0.0.1:" + closedPort();
		assertThatThrownBy(() -> commands().list(false, closed, context(this.output)))
			.isInstanceOf(CliException.class)
			.hasMessage("Cannot reach " + closed + ": connection refused");
		assertThatThrownBy(() -> commands().create("x", null, false, "localhost:3000", context(this.output)))
			.isInstanceOf(CliException.class)
			.extracting((ex) -> ((CliException) ex).exitCode())
			.isEqualTo(CliException.USAGE);
		assertThatThrownBy(() -> commands().create(" ", null, false, hub(), context(this.output)))
			.hasMessage("Cannot create the room: Name is required (400)")
			.isInstanceOf(CliException.class);
	}

	@Test
	void streamsTheAnswerToTheTerminalAsItArrives() {
		this.llm = TestLlmServer.start(TestLlmOptions.defaults().withChunks(5).withDelay(Duration.ofMillis(150)));
		String code = roomWith(this.llm, null);
		TimedWriter timed = new TimedWriter();
		commands().chat(code, "are you there", "*", null, null, true, hub(), context(timed));
		assertThat(timed.text()).isEqualTo("Hello from the Gambiarra test LLM! You said: are you there\n");
		// The first words reached the terminal long before the last ones: streamed, not buffered.
		assertThat(timed.spanOfContentWrites()).isGreaterThanOrEqualTo(Duration.ofMillis(3 * 150));
	}

	@Test
	void chatsWithoutStreamingAndThroughAProtectedRoom() {
		this.llm = TestLlmServer.start(TestLlmOptions.defaults());
		String code = roomWith(this.llm, "pw");
		commands().chat(code, "hi", "model:test-llm", "be nice", "pw", false, hub(), context(this.output));
		assertThat(this.output.toString()).isEqualTo("Hello from the Gambiarra test LLM! You said: hi\n");
		assertThatThrownBy(() -> commands().chat(code, "hi", "*", null, null, true, hub(), context(this.output)))
			.hasMessage("Cannot chat in room " + code + ": Invalid password (401; check --password)");
		assertThatThrownBy(() -> commands().chat(code, "hi", "*", null, "wrong", false, hub(), context(this.output)))
			.hasMessageContaining("401");
	}

	@Test
	void chatFailuresAreOneLine() {
		assertThatThrownBy(() -> commands().chat("NOPE99", "hi", "*", null, null, true, hub(), context(this.output)))
			.isInstanceOf(CliException.class)
			.hasMessage("Cannot chat in room NOPE99: Room not found (404)");
		CreatedRoom empty = this.rooms.create("Empty", null).block(Duration.ofSeconds(10));
		String code = empty.room().code();
		assertThatThrownBy(() -> commands().chat(code, "hi", "*", null, null, true, hub(), context(this.output)))
			.hasMessage("Cannot chat in room " + code + ": No available participant for the requested model (404)");
	}

	@Test
	void aStreamCutMidwayIsAFailure() {
		String cut = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n";
		assertThatThrownBy(() -> ChatCommand.relay(SseDecoding.decode(cut), new PrintWriter(this.output)))
			.hasMessage("The answer was cut off: the stream ended without [DONE]");
		assertThat(this.output.toString()).startsWith("Hel");
		String failed = "event: error\ndata: {\"error\":{\"message\":\"upstream died\"}}\n\n";
		assertThatThrownBy(() -> ChatCommand.relay(SseDecoding.decode(failed), new PrintWriter(this.output)))
			.hasMessage("The answer failed midway: upstream died");
	}

	@Test
	void joinsARoomWithADetectedModelAndLeavesWhenStopped() throws Exception {
		this.llm = TestLlmServer.start(TestLlmOptions.defaults().withModels(List.of("llama3:latest", "qwen")));
		CreatedRoom created = this.rooms.create("Join", null).block(Duration.ofSeconds(10));
		Room room = this.rooms.require(created.room().code());
		Commands commands = commands();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread join = new Thread(() -> {
			try {
				commands.join(room.code(), "llama3", this.llm.baseUrl() + "/v1/", "tester", null, false, "p-join",
						hub(), context(this.output));
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		});
		join.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> room.participant("p-join") != null);
		Participant participant = room.participant("p-join");
		assertThat(participant.model()).isEqualTo("llama3:latest");
		assertThat(participant.endpoint()).isEqualTo(this.llm.baseUrl());
		assertThat(participant.specs()).containsKey("cpu");
		long firstSeen = participant.lastSeen();
		await().atMost(Duration.ofSeconds(10)).until(() -> room.participant("p-join").lastSeen() > firstSeen);
		await().until(() -> commands.session() != null);
		commands.session().stop(Duration.ofSeconds(5));
		join.join(10_000);
		assertThat(failure.get()).isNull();
		assertThat(room.participant("p-join")).isNull();
		assertThat(this.output.toString()).contains("Joined room " + room.code() + " as tester serving llama3:latest",
				"Left room " + room.code());
	}

	@Test
	void joinWithTunnelServesThroughTheTunnelAndNeverTellsTheHubItsEndpoint() throws Exception {
		this.llm = TestLlmServer.start(TestLlmOptions.defaults().withModels(List.of("llama3:latest")));
		CreatedRoom created = this.rooms.create("Tunnel", null).block(Duration.ofSeconds(10));
		Room room = this.rooms.require(created.room().code());
		Commands commands = commands();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread join = new Thread(() -> {
			try {
				commands.joinTunnel(room.code(), "llama3", this.llm.baseUrl(), "nat", "p-tunnel", hub(),
						context(this.output));
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		});
		join.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> commands.session() != null && commands.session().tunnelling()
				&& this.output.toString().contains("Tunnel open"));
		Participant participant = room.participant("p-tunnel");
		assertThat(participant.endpoint()).isEqualTo("tunnel");
		long before = this.llm.requestCount();
		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(hub() + "/rooms/" + room.code()
				+ "/v1/chat/completions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"p-tunnel\",\"stream\":true,"
					+ "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.body()).contains("chat.completion.chunk").endsWith("data: [DONE]\n\n");
		assertThat(this.llm.requestCount()).isEqualTo(before + 1);
		HttpResponse<String> listing = client.send(HttpRequest.newBuilder(URI.create(hub() + "/rooms/" + room.code()
				+ "/participants")).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(listing.body()).contains("\"endpoint\":\"tunnel\"").doesNotContain(String.valueOf(this.llm.port()));
		commands.session().stop(Duration.ofSeconds(5));
		join.join(10_000);
		assertThat(failure.get()).isNull();
		assertThat(room.participant("p-tunnel")).isNull();
		assertThat(this.output.toString()).contains("Serving through a tunnel", "Left room " + room.code());
	}

	@Test
	void joinWithTunnelSendsItsApiKeyToTheLocalServerOnlyAndNeverToTheHub() throws Exception {
		List<String> authorizations = new CopyOnWriteArrayList<>();
		DisposableServer keyed = HttpServer.create().host("127.0.0.1").port(0).route((routes) -> routes
			.get("/api/tags", (request, response) -> response.status(404).send())
			.get("/v1/models", (request, response) -> {
				authorizations.add(String.valueOf(request.requestHeaders().get("Authorization")));
				return "Bearer local-secret".equals(request.requestHeaders().get("Authorization"))
						? response.header("Content-Type", "application/json")
							.sendString(reactor.core.publisher.Mono.just("{\"data\":[{\"id\":\"keyed-model\"}]}"))
						: response.status(401).send();
			})
			.post("/v1/chat/completions", (request, response) -> {
				authorizations.add(String.valueOf(request.requestHeaders().get("Authorization")));
				return request.receive().then(response.header("Content-Type", "application/json")
					.sendString(reactor.core.publisher.Mono.just(
							"{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"keyed\"}}]}"))
					.then());
			}))
			.bindNow();
		try {
			CreatedRoom created = this.rooms.create("Keyed", null).block(Duration.ofSeconds(10));
			Room room = this.rooms.require(created.room().code());
			Commands commands = commands();
			AtomicReference<Throwable> failure = new AtomicReference<>();
			Thread join = new Thread(() -> {
				try {
					commands.joinTunnelWithKey(room.code(), null, "http://127.0.0.1:" + keyed.port(), "p-keyed",
							"local-secret", hub(), context(this.output));
				}
				catch (Throwable ex) {
					failure.set(ex);
				}
			});
			join.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> commands.session() != null
					&& commands.session().tunnelling() && this.output.toString().contains("Tunnel open"));
			HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub()
					+ "/rooms/" + room.code() + "/v1/chat/completions"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"p-keyed\",\"messages\":[]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(answer.body()).contains("keyed");
			// The model list (at join) and the relayed request both carried the key; the hub never got it.
			assertThat(authorizations).hasSize(2).allMatch("Bearer local-secret"::equals);
			assertThat(room.participant("p-keyed").apiKey()).isNull();
			assertThat(this.output.toString()).doesNotContain("local-secret");
			commands.session().stop(Duration.ofSeconds(5));
			join.join(10_000);
			assertThat(failure.get()).isNull();
		}
		finally {
			keyed.disposeNow();
		}
	}

	@Test
	void aKickedTunnelJoinStopsInsteadOfReconnecting() throws Exception {
		this.llm = TestLlmServer.start(TestLlmOptions.defaults().withModels(List.of("llama3:latest")));
		CreatedRoom created = this.rooms.create("Kick", null).block(Duration.ofSeconds(10));
		Room room = this.rooms.require(created.room().code());
		Commands commands = commands();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread join = new Thread(() -> {
			try {
				commands.joinTunnel(room.code(), "llama3", this.llm.baseUrl(), "nat", "p-kicked", hub(),
						context(this.output));
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		});
		join.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> commands.session() != null && commands.session().tunnelling()
				&& this.output.toString().contains("Tunnel open"));
		this.rooms.kick(room, "p-kicked").block(Duration.ofSeconds(5));
		join.join(10_000);
		assertThat(join.isAlive()).isFalse();
		assertThat(failure.get()).isInstanceOf(CliException.class)
			.hasMessage("Removed from room " + room.code() + " by its host");
		assertThat(this.output.toString()).contains("participant kicked").doesNotContain("reconnecting");
	}

	@Test
	void joinRefusesUnknownModelsUnreachableEndpointsAndMissingRooms() {
		this.llm = TestLlmServer.start(TestLlmOptions.defaults().withModels(List.of("a", "b")));
		assertThatThrownBy(() -> commands().join("DEMO42", "zzz", this.llm.baseUrl(), "t", null, true, null, hub(),
				context(this.output)))
			.hasMessage("Model 'zzz' not found at " + this.llm.baseUrl() + ". Available: a, b");
		assertThatThrownBy(() -> commands().join("DEMO42", null, this.llm.baseUrl(), "t", null, true, null, hub(),
				context(this.output)))
			.hasMessage("Choose a model with --model; " + this.llm.baseUrl() + " serves: a, b");
		String closed = "http://127.0.0.1:" + closedPort();
		assertThatThrownBy(() -> commands().join("DEMO42", "a", closed, "t", null, true, null, hub(),
				context(this.output)))
			.hasMessageStartingWith("Cannot reach the LLM endpoint " + closed);
		assertThatThrownBy(() -> commands().join("NOPE99", "a", this.llm.baseUrl(), "t", null, true, null, hub(),
				context(this.output)))
			.hasMessage("Cannot join room NOPE99: Room not found (404)");
	}

	@Test
	void monitorsARoomFromItsEventStream() throws Exception {
		CreatedRoom created = this.rooms.create("Watch", null).block(Duration.ofSeconds(10));
		Room room = this.rooms.require(created.room().code());
		int before = this.events.subscriberCount();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread monitor = new Thread(() -> {
			try {
				commands().monitor(room.code(), null, true, 2, hub(), context(this.output));
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		});
		monitor.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.subscriberCount() > before);
		this.rooms.join(room, new Registration("p-m", "carol", "phi", "http://127.0.0.1:9", Map.of(), Map.of(), null, 1),
				null).block(Duration.ofSeconds(10));
		this.rooms.leave(room, "p-m").block(Duration.ofSeconds(10));
		monitor.join(10_000);
		assertThat(failure.get()).isNull();
		assertThat(this.output.toString()).contains("Gambiarra monitor  room " + room.code(), "carol", "phi",
				"participant:joined", "participant:left", "No participants yet.");
		assertThatThrownBy(() -> commands().monitor("NOPE99", null, true, 1, hub(), context(this.output)))
			.hasMessage("Cannot monitor room NOPE99: Room not found (404)");
	}

	@Test
	void runsTheTestLlmUntilItIsClosed() throws Exception {
		Commands commands = commands();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread server = new Thread(() -> {
			try {
				commands.testLlm(0, "127.0.0.1", "m1, m2", 3, 0, null, context(this.output));
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		});
		server.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> commands.testLlm() != null);
		HttpResponse<String> models = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(commands.testLlm().baseUrl() + "/v1/models")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(Reply.parse(models.body()).path("data").findValuesAsString("id")).containsExactly("m1", "m2");
		commands.testLlm().close();
		server.join(10_000);
		assertThat(server.isAlive()).isFalse();
		assertThat(failure.get()).isNull();
		assertThat(this.output.toString()).contains("Test LLM listening on http://127.0.0.1:", "models: m1, m2");
		assertThatThrownBy(() -> commands.testLlm(0, "127.0.0.1", "m", -1, 0, null, context(this.output)))
			.hasMessageContaining("chunks must be between");
		assertThatThrownBy(() -> commands.testLlm(0, "127.0.0.1", "m", 0, 0, "/nonexistent/script.json",
				context(this.output)))
			.hasMessageStartingWith("Cannot read script /nonexistent/script.json");
	}

	@Test
	void refusesLongRunningCommandsInsideTheHubConsole() {
		Commands inside = Commands.of(this.properties, this.http, true);
		assertThatThrownBy(() -> inside.monitor("DEMO42", null, true, 1, hub(), context(this.output)))
			.hasMessageContaining("runs as a one-shot command");
	}

	private String roomWith(TestLlmServer server, String password) {
		CreatedRoom created = this.rooms.create("Chat", password).block(Duration.ofSeconds(10));
		Room room = this.rooms.require(created.room().code());
		this.rooms.join(room, new Registration("llm-" + server.port(), "fake", "test-llm", server.baseUrl(), Map.of(),
				Map.of(), null, 4), null).block(Duration.ofSeconds(10));
		return room.code();
	}

	private Commands commands() {
		return Commands.of(this.properties, this.http, false);
	}

	private String hub() {
		return "http://127.0.0.1:" + this.port;
	}

	private static CommandContext context(Writer writer) {
		return new CommandContext(new ParsedInput("test", List.of(), List.of(), List.of()), new CommandRegistry(),
				new PrintWriter(writer, true), new InputReader() {
				});
	}

	private static int closedPort() {
		DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).bindNow();
		int port = server.port();
		server.disposeNow();
		return port;
	}

	/** Remembers when each non-empty piece of text was written. */
	static final class TimedWriter extends Writer {

		private final StringBuilder text = new StringBuilder();

		private final List<Long> writes = new CopyOnWriteArrayList<>();

		@Override
		public synchronized void write(char[] buffer, int offset, int length) {
			String piece = new String(buffer, offset, length);
			this.text.append(piece);
			if (!piece.isBlank()) {
				this.writes.add(System.nanoTime());
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

		synchronized String text() {
			return this.text.toString();
		}

		Duration spanOfContentWrites() {
			return Duration.ofNanos(this.writes.get(this.writes.size() - 1) - this.writes.get(0));
		}

	}

}
