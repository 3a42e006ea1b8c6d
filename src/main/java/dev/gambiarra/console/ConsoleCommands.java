package dev.gambiarra.console;

import java.io.IOException;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jline.terminal.Attributes;
import org.jspecify.annotations.Nullable;
import org.jline.terminal.Terminal;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import dev.gambiarra.shell.CliException;
import dev.gambiarra.shell.TextTable;
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
class ConsoleCommands {

	private static final String GROUP = "Hub console (inside the running hub)";

	private static final int TAIL_QUEUE = 10_000;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

	private final RoomService rooms;

	private final EventBus events;

	private final JsonMapper json;

	private final ObjectProvider<ParticipantActivity> stats;

	private final ObjectProvider<Terminal> terminal;

	private final boolean oneShot;

	ConsoleCommands(RoomService rooms, EventBus events, JsonMapper json, ObjectProvider<ParticipantActivity> stats,
			ObjectProvider<Terminal> terminal, Environment environment) {
		this.oneShot = Launcher.CLI_MODE.equals(environment.getProperty(Launcher.MODE_PROPERTY));
		this.rooms = rooms;
		this.events = events;
		this.json = json;
		this.stats = stats;
		this.terminal = terminal;
	}

	@Command(name = { "room", "list" }, group = GROUP, description = "List the rooms on this hub")
	void list(CommandContext context) {
		insideHub("room list");
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
		out.print(TextTable.render(List.of("CODE", "NAME", "PROTECTED", "ONLINE", "CREATED"), rows));
	}

	@Command(name = { "room", "show" }, group = GROUP,
			description = "Show a room and its participants: status, in-flight requests, tokens/s")
	void show(@Argument(index = 0, description = "room code") String code, CommandContext context) {
		insideHub("room show");
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
		ParticipantActivity live = this.stats.getIfAvailable();
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
		out.print(TextTable.render(
				List.of("ID", "NICKNAME", "MODEL", "STATUS", "IN-FLIGHT", "TOK/S", "LAST SEEN", "ENDPOINT"), rows));
	}

	@Command(name = { "room", "create" }, group = GROUP, description = "Create a room")
	void create(@Argument(index = 0, description = "room name") String name,
			@Option(longName = "password", description = "room password (optional)") @Nullable String password,
			CommandContext context) {
		password = (password != null) ? password : "";
		insideHub("room create");
		CreatedRoom created = this.rooms.create(name, password.isEmpty() ? null : password).block(Duration.ofSeconds(30));
		PrintWriter out = context.outputWriter();
		out.println("Created room " + created.room().code() + " \"" + created.room().name() + "\""
				+ (password.isEmpty() ? "" : " (protected)"));
		out.println("Host secret (hostId, closes the room and kicks over HTTP): " + created.hostId());
	}

	@Command(name = { "room", "close" }, group = GROUP, description = "Close a room; its participants are dropped")
	String close(@Argument(index = 0, description = "room code") String code) {
		insideHub("room close");
		Room room = require(code);
		this.rooms.close(room, "closed from the hub console").block(Duration.ofSeconds(30));
		return "Closed room " + room.code();
	}

	@Command(name = { "room", "kick" }, group = GROUP, description = "Remove a participant from a room")
	String kick(@Argument(index = 0, description = "room code") String code,
			@Argument(index = 1, description = "participant id") String participantId) {
		insideHub("room kick");
		Room room = require(code);
		try {
			this.rooms.kick(room, participantId).block(Duration.ofSeconds(30));
		}
		catch (HubException ex) {
			throw new IllegalStateException(ex.getMessage() + ": " + participantId + " in room " + room.code());
		}
		return "Kicked " + participantId + " from room " + room.code();
	}

	@Command(name = "events", group = GROUP,
			description = "Tail events of the whole hub, or of one room, until a key is pressed")
	void tail(@Argument(index = 0, description = "room code (all rooms when omitted)") @Nullable String code,
			@Option(longName = "count", description = "stop after this many events (0: until a key)",
					defaultValue = "0") int count,
			@Option(longName = "seconds", description = "stop after this many seconds (0: until a key)",
					defaultValue = "0") int seconds,
			CommandContext context) throws InterruptedException {
		code = (code != null) ? code : "";
		insideHub("events");
		PrintWriter out = context.outputWriter();
		Flux<HubEvent> source = code.isBlank() ? this.events.all() : this.events.room(require(code).code());
		// Events arrive on whatever thread published them (often an event loop): they are only queued there, and
		// this console thread does the (blocking) terminal writes.
		BlockingQueue<HubEvent> queue = new LinkedBlockingQueue<>(TAIL_QUEUE);
		AtomicBoolean ended = new AtomicBoolean();
		Disposable subscription = source.subscribe(queue::offer, (error) -> ended.set(true), () -> ended.set(true));
		out.println("Tailing events of " + (code.isBlank() ? "all rooms" : "room " + code.toUpperCase(Locale.ROOT))
				+ ((count > 0 || seconds > 0) ? "" : "; press any key to stop"));
		out.flush();
		long deadline = (seconds > 0) ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
		KeyWatch keys = KeyWatch.open((count == 0 && seconds == 0) ? this.terminal.getIfAvailable() : null);
		int seen = 0;
		try {
			while (System.nanoTime() < deadline && (count == 0 || seen < count)) {
				HubEvent event = queue.poll(keys.active() ? 10 : 100, TimeUnit.MILLISECONDS);
				if (event != null) {
					out.println(format(event));
					out.flush();
					seen++;
				}
				else if (ended.get() || keys.pressed()) {
					break;
				}
			}
		}
		finally {
			subscription.dispose();
			keys.close();
		}
	}

	@Command(name = "stats", group = GROUP, description = "Show hub statistics")
	void stats(CommandContext context) {
		insideHub("stats");
		PrintWriter out = context.outputWriter();
		int participants = 0;
		int[] byStatus = new int[ParticipantStatus.values().length];
		int protectedRooms = 0;
		int inFlight = 0;
		ParticipantActivity live = this.stats.getIfAvailable();
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

	/** Console commands act on this JVM's hub; as one-shot commands there is no hub here to act on. */
	private void insideHub(String command) {
		if (this.oneShot) {
			throw new CliException(CliException.USAGE, "'" + command
					+ "' runs in the hub's own console (start the hub in a terminal); against a remote hub use "
					+ "'list', 'create', 'monitor' or 'chat' with --hub URL");
		}
	}

	/** Watches the terminal for a key press in raw mode; inactive without a real terminal. */
	private static final class KeyWatch {

		private final @Nullable Terminal terminal;

		private final @Nullable Attributes previous;

		private KeyWatch(@Nullable Terminal terminal, @Nullable Attributes previous) {
			this.terminal = terminal;
			this.previous = previous;
		}

		static KeyWatch open(@Nullable Terminal terminal) {
			if (terminal == null || Terminal.TYPE_DUMB.equals(terminal.getType())
					|| Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
				return new KeyWatch(null, null);
			}
			return new KeyWatch(terminal, terminal.enterRawMode());
		}

		boolean active() {
			return this.terminal != null;
		}

		boolean pressed() {
			if (this.terminal == null) {
				return false;
			}
			try {
				return this.terminal.reader().read(90) >= 0;
			}
			catch (IOException ex) {
				return false;
			}
		}

		void close() {
			if (this.terminal != null && this.previous != null) {
				this.terminal.setAttributes(this.previous);
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
