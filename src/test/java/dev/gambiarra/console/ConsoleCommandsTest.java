package dev.gambiarra.console;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.gambiarra.HubTest;
import dev.gambiarra.events.EventBus;
import dev.gambiarra.rooms.CreatedRoom;
import dev.gambiarra.rooms.Registration;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin console's commands, parsed by Spring Shell and run against the live hub state. */
@HubTest
class ConsoleCommandsTest {

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
				2), null);
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
				1), null);
		this.rooms.leave(target, "p-2");
		tail.join(10_000);
		assertThat(exit.get()).isZero();
		assertThat(out.toString()).contains("Tailing events of room " + code, "participant:joined",
				"participant:left", "\"participantId\":\"p-2\"");
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
