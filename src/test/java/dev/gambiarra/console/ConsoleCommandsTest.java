package dev.gambiarra.console;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.gambiarra.support.DemoHubTest;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.events.EventBus;
import dev.gambiarra.rooms.CreatedRoom;
import dev.gambiarra.rooms.Registration;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin console's commands, parsed by Spring Shell and run against the live hub state. */
@DemoHubTest
class ConsoleCommandsTest {

	@RegisterExtension
	static final FakeLlm upstream = FakeLlm.start();

	@LocalServerPort
	private int port;

	@Autowired
	private CommandLines commands;

	@Autowired
	private RoomService rooms;

	@Autowired
	private EventBus events;

	@Test
	void createsListsShowsKicksAndClosesRooms() {
		Result created = run("room create \"Team room\" --password pw");
		assertThat(created.code()).isZero();
		Matcher matcher = Pattern.compile("Created room ([A-Z0-9]{6}) \"Team room\" \\(protected\\)")
			.matcher(created.out());
		assertThat(matcher.find()).as(created.out()).isTrue();
		String code = matcher.group(1);
		Room room = this.rooms.require(code);
		assertThat(room.isProtected()).isTrue();
		assertThat(created.out()).contains("Host secret");

		assertThat(run("room list").out()).contains(code, "Team room", "yes");

		this.rooms.join(room, new Registration("p-1", "alice", "llama3", "http://127.0.0.1:9", Map.of(), Map.of(), null,
				2), null).block(Duration.ofSeconds(10));
		Result shown = run("room show " + code.toLowerCase());
		assertThat(shown.code()).isZero();
		assertThat(shown.out()).contains("Room " + code, "(protected)", "p-1", "alice", "llama3", "online",
				"IN-FLIGHT", "TOK/S");

		Result kicked = run("room kick " + code + " p-1");
		assertThat(kicked.out()).contains("Kicked p-1 from room " + code);
		assertThat(room.participants()).isEmpty();
		Result kickedAgain = run("room kick " + code + " p-1");
		assertThat(kickedAgain.code()).isEqualTo(1);
		assertThat(kickedAgain.err()).contains("Participant not found");

		assertThat(run("room close " + code).out()).contains("Closed room " + code);
		assertThat(this.rooms.find(code)).isEmpty();
		Result missing = run("room show " + code);
		assertThat(missing.code()).isEqualTo(1);
		assertThat(missing.err()).contains("Room not found: " + code);
	}

	@Test
	void tailsTheEventsOfOneRoomUntilEnough() throws Exception {
		CreatedRoom created = this.rooms.create("Tail", null).block(Duration.ofSeconds(10));
		assertThat(created).isNotNull();
		String code = created.room().code();
		int before = this.events.subscriberCount();
		AtomicInteger exit = new AtomicInteger(-1);
		StringWriter out = new StringWriter();
		Thread tail = new Thread(() -> exit.set(this.commands.execute("events " + code + " --count 2",
				new PrintWriter(out), new PrintWriter(new StringWriter()))));
		tail.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.subscriberCount() > before);
		Room target = this.rooms.require(code);
		this.rooms.join(target, new Registration("p-2", "bob", "qwen", "http://127.0.0.1:9", Map.of(), Map.of(), null,
				1), null).block(Duration.ofSeconds(10));
		this.rooms.leave(target, "p-2").block(Duration.ofSeconds(10));
		tail.join(10_000);
		assertThat(exit.get()).isZero();
		assertThat(out.toString()).contains("Tailing events of room " + code, "participant:joined",
				"participant:left", "\"participantId\":\"p-2\"");
	}

	@Test
	void showsInFlightRequestsAndTokensPerSecondOfAProxiedAnswer() throws Exception {
		Sinks.Empty<Void> release = Sinks.empty();
		upstream.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.concat(Flux.just(FakeLlm.chunk("Hello")), release.asMono().thenMany(Flux.just(
						FakeLlm.chunk(" from"), FakeLlm.chunk(" fake"), "[DONE]")))));
		CreatedRoom created = this.rooms.create("Speed", null).block(Duration.ofSeconds(10));
		assertThat(created).isNotNull();
		String code = created.room().code();
		this.rooms.join(this.rooms.require(code), new Registration("fake-1", "fake", "fake-model",
				upstream.endpoint(), Map.of(), Map.of(), null, 4), null).block(Duration.ofSeconds(10));
		assertThat(row(run("room show " + code).out(), "fake-1")).containsExactly("0", "-");

		HttpRequest chat = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/rooms/" + code
				+ "/v1/chat/completions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"model\":\"*\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
			.build();
		HttpClient client = HttpClient.newHttpClient();
		CompletableFuture<HttpResponse<String>> answer = client.sendAsync(chat, HttpResponse.BodyHandlers.ofString());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(row(run("room show " + code).out(), "fake-1")).containsExactly("1",
					"-"));
		release.tryEmitEmpty();
		HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("fake", "[DONE]");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<String> live = row(run("room show " + code).out(), "fake-1");
			assertThat(live.get(0)).isEqualTo("0");
			assertThat(live.get(1)).matches("\\d+\\.\\d");
			assertThat(Double.parseDouble(live.get(1))).isPositive();
		});
		assertThat(run("stats").out()).containsPattern("In-flight requests: \\d+");
		this.rooms.close(this.rooms.require(code), "test over").block(Duration.ofSeconds(10));
	}

	/** The IN-FLIGHT and TOK/S cells of one participant's row in 'room show'. */
	private static List<String> row(String shown, String participantId) {
		String line = shown.lines()
			.filter((candidate) -> candidate.startsWith(participantId + " "))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no row for " + participantId + " in:\n" + shown));
		String[] cells = line.split("\\s+");
		return List.of(cells[4], cells[5]);
	}

	@Test
	void programArgumentsSurviveTheShellParserExactly() {
		StringWriter out = new StringWriter();
		int code = this.commands.execute(List.of("room", "create", "Bob's \"best\" room"), new PrintWriter(out),
				new PrintWriter(new StringWriter()));
		assertThat(code).isZero();
		assertThat(this.rooms.rooms()).anyMatch((room) -> room.name().equals("Bob's \"best\" room"));
	}

	@Test
	void showsHubStatistics() {
		Result stats = run("stats");
		assertThat(stats.code()).isZero();
		assertThat(stats.out()).contains("Rooms:", "Participants:", "Event subscribers:", "Uptime:", "Heap:");
	}

	@Test
	void unknownCommandsAndOneShotOnlyCommandsAreUsageErrors() {
		Result unknown = run("frobnicate");
		assertThat(unknown.code()).isEqualTo(2);
		assertThat(unknown.err()).contains("Unknown command 'frobnicate'");
		Result join = run("join --code ABC123");
		assertThat(join.code()).isEqualTo(2);
		assertThat(join.err()).contains("runs as a one-shot command");
	}

	private Result run(String line) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = this.commands.execute(line, new PrintWriter(out), new PrintWriter(err));
		return new Result(code, out.toString(), err.toString());
	}

	record Result(int code, String out, String err) {
	}

}
