package dev.gambiarra.console;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingReader;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.rooms.CreatedRoom;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.ParticipantStatus;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.web.HubException;

/**
 * Admin console commands, run in the hub's own JVM against the live {@link RoomService} and {@link EventBus}: no
 * HTTP, no credentials (whoever holds the terminal holds the hub).
 */
@Component
@ConditionalOnWebApplication
class ConsoleCommands {

	private static final String GROUP = "Hub console";

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

	private final RoomService rooms;

	private final EventBus events;

	private final JsonMapper json;

	private final ObjectProvider<ParticipantStats> stats;

	private final ObjectProvider<Terminal> terminal;

	ConsoleCommands(RoomService rooms, EventBus events, JsonMapper json, ObjectProvider<ParticipantStats> stats,
			ObjectProvider<Terminal> terminal) {
		this.rooms = rooms;
		this.events = events;
		this.json = json;
		this.stats = stats;
		this.terminal = terminal;
	}

	@Command(name = { "room", "list" }, group = GROUP, description = "List the rooms on this hub")
	void list(CommandContext context) {
		PrintWriter out = context.outputWriter();
		List<Room> all = sortedRooms();
		if (all.isEmpty()) {
			out.println("No rooms. Create one with: room create <name>");
			return;
		}
		List<List<String>> rows = new ArrayList<>();
		for (Room room : all) {
			long online = room.participants().stream().filter((p) -> !p.isOffline()).count();
			rows.add(List.of(room.code(), room.name(), room.isProtected() ? "yes" : "no",
					online + "/" + room.participants().size(), ago(room.createdAt())));
		}
		Tables.print(out, List.of("CODE", "NAME", "PROTECTED", "ONLINE", "CREATED"), rows);
	}

	@Command(name = { "room", "show" }, group = GROUP,
			description = "Show a room and its participants: status, in-flight requests, tokens/s")
	void show(@Argument(index = 0, description = "room code") String code, CommandContext context) {
		Room room = require(code);
		PrintWriter out = context.outputWriter();
		out.println("Room " + room.code() + " \"" + room.name() + "\" " + (room.isProtected() ? "(protected)" : "(open)")
				+ ", created " + ago(room.createdAt()));
		List<Participant> participants = new ArrayList<>(room.participants());
		if (participants.isEmpty()) {
			out.println("No participants.");
			return;
		}
		participants.sort(Comparator.comparing(Participant::joinedAt));
		ParticipantStats live = this.stats.getIfAvailable();
		List<List<String>> rows = new ArrayList<>();
		for (Participant p : participants) {
			String inFlight = "-";
			String tps = "-";
			if (live != null) {
				OptionalInt count = live.inFlight(room.code(), p.id());
				OptionalDouble speed = live.tokensPerSecond(room.code(), p.id());
				inFlight = count.isPresent() ? Integer.toString(count.getAsInt()) : "-";
				tps = speed.isPresent() ? String.format(Locale.ROOT, "%.1f", speed.getAsDouble()) : "-";
			}
			rows.add(List.of(p.id(), p.nickname(), p.model(), p.status().wireName(), inFlight, tps,
					ago(p.lastSeen()), p.endpoint()));
		}
		Tables.print(out,
				List.of("ID", "NICKNAME", "MODEL", "STATUS", "IN-FLIGHT", "TOK/S", "LAST SEEN", "ENDPOINT"), rows);
	}

	@Command(name = { "room", "create" }, group = GROUP, description = "Create a room")
	void create(@Argument(index = 0, description = "room name") String name,
			@Option(longName = "password", description = "room password (optional)", defaultValue = "") String password,
			CommandContext context) {
		CreatedRoom created = this.rooms.create(name, password.isEmpty() ? null : password).block(Duration.ofSeconds(30));
		PrintWriter out = context.outputWriter();
		out.println("Created room " + created.room().code() + " \"" + created.room().name() + "\""
				+ (password.isEmpty() ? "" : " (protected)"));
		out.println("Host secret (hostId, closes the room and kicks over HTTP): " + created.hostId());
	}

	@Command(name = { "room", "close" }, group = GROUP, description = "Close a room; its participants are dropped")
	String close(@Argument(index = 0, description = "room code") String code) {
		Room room = require(code);
		this.rooms.close(room, "closed from the hub console");
		return "Closed room " + room.code();
	}

	@Command(name = { "room", "kick" }, group = GROUP, description = "Remove a participant from a room")
	String kick(@Argument(index = 0, description = "room code") String code,
			@Argument(index = 1, description = "participant id") String participantId) {
		Room room = require(code);
		try {
			this.rooms.kick(room, participantId);
		}
		catch (HubException ex) {
			throw new IllegalStateException(ex.getMessage() + ": " + participantId + " in room " + room.code());
		}
		return "Kicked " + participantId + " from room " + room.code();
	}

	@Command(name = "events", group = GROUP,
			description = "Tail events of the whole hub, or of one room, until a key is pressed")
	void tail(@Argument(index = 0, description = "room code (all rooms when omitted)", defaultValue = "") String code,
			@Option(longName = "count", description = "stop after this many events (0: until a key)",
					defaultValue = "0") int count,
			@Option(longName = "seconds", description = "stop after this many seconds (0: until a key)",
					defaultValue = "0") int seconds,
			CommandContext context) throws InterruptedException {
		PrintWriter out = context.outputWriter();
		Flux<HubEvent> source = code.isBlank() ? this.events.all() : this.events.room(require(code).code());
		CountDownLatch done = new CountDownLatch(1);
		AtomicInteger seen = new AtomicInteger();
		Disposable subscription = source.subscribe((event) -> {
			synchronized (out) {
				out.println(format(event));
				out.flush();
			}
			if (count > 0 && seen.incrementAndGet() >= count) {
				done.countDown();
			}
		}, (error) -> done.countDown(), done::countDown);
		synchronized (out) {
			out.println("Tailing events of " + (code.isBlank() ? "all rooms" : "room " + code.toUpperCase(Locale.ROOT))
					+ ((count > 0 || seconds > 0) ? "" : "; press any key to stop"));
			out.flush();
		}
		try {
			waitForEnd(done, seconds, count == 0 && seconds == 0);
		}
		finally {
			subscription.dispose();
		}
	}

	@Command(name = "stats", group = GROUP, description = "Show hub statistics")
	void stats(CommandContext context) {
		PrintWriter out = context.outputWriter();
		int participants = 0;
		int[] byStatus = new int[ParticipantStatus.values().length];
		int protectedRooms = 0;
		int inFlight = 0;
		ParticipantStats live = this.stats.getIfAvailable();
		for (Room room : this.rooms.rooms()) {
			protectedRooms += room.isProtected() ? 1 : 0;
			for (Participant p : room.participants()) {
				participants++;
				byStatus[p.status().ordinal()]++;
				if (live != null) {
					inFlight += live.inFlight(room.code(), p.id()).orElse(0);
				}
			}
		}
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		out.println("Rooms:              " + this.rooms.rooms().size() + " (" + protectedRooms + " protected)");
		out.println("Participants:       " + participants + " (" + byStatus[ParticipantStatus.ONLINE.ordinal()]
				+ " online, " + byStatus[ParticipantStatus.BUSY.ordinal()] + " busy, "
				+ byStatus[ParticipantStatus.OFFLINE.ordinal()] + " offline)");
		out.println("In-flight requests: " + ((live != null) ? Integer.toString(inFlight) : "-"));
		out.println("Event subscribers:  " + this.events.subscriberCount());
		out.println("Uptime:             " + duration(Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime())));
		out.println("Heap:               " + (heap.getUsed() >> 20) + " MiB used of " + (heap.getMax() >> 20) + " MiB");
		out.println("Threads:            " + ManagementFactory.getThreadMXBean().getThreadCount());
	}

	private void waitForEnd(CountDownLatch done, int seconds, boolean untilKey) throws InterruptedException {
		long deadline = (seconds > 0) ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
		Terminal term = untilKey ? this.terminal.getIfAvailable() : null;
		boolean keys = term != null && !Terminal.TYPE_DUMB.equals(term.getType())
				&& !Terminal.TYPE_DUMB_COLOR.equals(term.getType());
		Attributes previous = keys ? term.enterRawMode() : null;
		try {
			NonBlockingReader reader = keys ? term.reader() : null;
			while (!done.await(keys ? 10 : 100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
				if (reader != null && reader.read(90) >= 0) {
					return;
				}
			}
		}
		catch (java.io.IOException ex) {
			done.await();
		}
		finally {
			if (previous != null) {
				term.setAttributes(previous);
			}
		}
	}

	private String format(HubEvent event) {
		String time = LocalTime.now(ZoneId.systemDefault()).format(TIME);
		String room = (event.room() != null) ? event.room() : "-";
		return time + "  " + room + "  " + event.type() + "  " + this.json.writeValueAsString(event.data());
	}

	private Room require(String code) {
		return this.rooms.find(code.strip())
			.orElseThrow(() -> new IllegalStateException("Room not found: " + code.toUpperCase(Locale.ROOT)));
	}

	private List<Room> sortedRooms() {
		List<Room> all = new ArrayList<>(this.rooms.rooms());
		all.sort(Comparator.comparing(Room::createdAt));
		return all;
	}

	static String ago(long epochMillis) {
		Duration age = Duration.between(Instant.ofEpochMilli(epochMillis), Instant.now());
		return age.isNegative() ? "just now" : duration(age) + " ago";
	}

	static String duration(Duration duration) {
		long s = duration.toSeconds();
		if (s < 60) {
			return s + "s";
		}
		if (s < 3600) {
			return (s / 60) + "m" + (s % 60) + "s";
		}
		return (s / 3600) + "h" + ((s % 3600) / 60) + "m";
	}

}
