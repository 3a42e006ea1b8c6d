package dev.gambiarra.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerSentEvent;

import dev.gambiarra.shell.CliException;
import dev.gambiarra.shell.TextTable;

/**
 * A live view of one room, drawn from its SSE stream: participants and their health, the latest events and the
 * throughput the hub measured. Redraws on every event and every refresh tick; {@code plain} appends frames
 * instead of clearing the screen (for logs and dumb terminals).
 */
final class RoomMonitor {

	private static final String CLEAR = "\033[H\033[2J";

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

	private static final int RECENT = 10;

	private final Remote hub;

	private final String code;

	private final @Nullable String password;

	private final PrintWriter out;

	private final boolean plain;

	private final Duration refresh;

	private final Duration idleTimeout;

	private final Map<String, JsonNode> participants = new LinkedHashMap<>();

	private final Deque<String> recent = new ArrayDeque<>();

	private final Map<String, Double> lastTps = new LinkedHashMap<>();

	private long requests;

	private long completed;

	private long errors;

	private long tokens;

	private int events;

	RoomMonitor(Remote hub, String code, @Nullable String password, PrintWriter out, boolean plain, Duration refresh,
			Duration idleTimeout) {
		this.hub = hub;
		this.code = code.toUpperCase(Locale.ROOT);
		this.password = password;
		this.out = out;
		this.plain = plain;
		this.refresh = refresh;
		this.idleTimeout = idleTimeout;
	}

	/** Watches until the room closes (returns), {@code maxEvents} events were seen (returns) or the stream drops. */
	void run(int maxEvents) {
		loadParticipants();
		Flux<ServerSentEvent<String>> stream = this.hub
			.events(HttpMethod.GET, "/rooms/" + this.code + "/events", null, this.password, "monitor room " + this.code)
			.timeout(this.idleTimeout)
			.onErrorMap(TimeoutException.class, (ex) -> CliException.failure("Lost the event stream of room "
					+ this.code + " (no event or heartbeat for " + ClientSupport.seconds(this.idleTimeout) + " s)"));
		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "monitor-refresh");
			thread.setDaemon(true);
			return thread;
		});
		boolean closed = false;
		try (Stream<ServerSentEvent<String>> events = stream.toStream()) {
			Iterator<ServerSentEvent<String>> it = events.iterator();
			boolean first = true;
			while (hasNext(it)) {
				ServerSentEvent<String> event = it.next();
				if (first) {
					// The hub answered: start drawing.
					first = false;
					if (!this.plain) {
						ticker.scheduleWithFixedDelay(this::draw, this.refresh.toMillis(), this.refresh.toMillis(),
								TimeUnit.MILLISECONDS);
					}
					draw();
				}
				if (event.data() == null) {
					continue;
				}
				closed = onEvent((event.event() != null) ? event.event() : "message", Reply.parse(event.data()));
				if (closed || (maxEvents > 0 && this.events >= maxEvents)) {
					break;
				}
			}
		}
		finally {
			ticker.shutdownNow();
		}
		if (closed) {
			say("Room " + this.code + " was closed.");
			return;
		}
		if (maxEvents <= 0 || this.events < maxEvents) {
			throw CliException.failure("Lost the event stream of room " + this.code + " (hub stopped?)");
		}
	}

	private boolean hasNext(Iterator<ServerSentEvent<String>> it) {
		try {
			return it.hasNext();
		}
		catch (CliException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw CliException.failure("Lost the event stream of room " + this.code + " (" + ClientSupport.rootMessage(ex)
					+ ")");
		}
	}

	private synchronized boolean onEvent(String type, JsonNode data) {
		if (type.equals("connected")) {
			return false;
		}
		this.events++;
		String who = data.path("participantId").asString(data.path("id").asString(""));
		String name = nickname(who);
		switch (type) {
			case "participant:joined" -> this.participants.put(data.path("id").asString(""), data);
			case "participant:left", "participant:kicked" -> this.participants.remove(who);
			case "participant:offline", "participant:online", "participant:busy" -> loadParticipants();
			case "llm:request" -> this.requests++;
			case "llm:error" -> this.errors++;
			case "llm:complete" -> {
				this.completed++;
				JsonNode metrics = data.path("metrics");
				this.tokens += metrics.path("tokens").asLong(0);
				if (metrics.path("tokensPerSecond").isNumber()) {
					this.lastTps.put(who, metrics.path("tokensPerSecond").asDouble());
				}
			}
			default -> {
			}
		}
		if (name.equals(who)) {
			name = nickname(who);
		}
		String detail = type.startsWith("llm:error") ? " " + data.path("error").asString("") : "";
		this.recent.addFirst(LocalTime.now().format(TIME) + "  " + type + ((name.isEmpty()) ? "" : "  " + name)
				+ detail);
		while (this.recent.size() > RECENT) {
			this.recent.removeLast();
		}
		draw();
		return type.equals("room:closed");
	}

	private String nickname(String id) {
		JsonNode participant = this.participants.get(id);
		return (participant != null) ? participant.path("nickname").asString(id) : id;
	}

	private synchronized void loadParticipants() {
		Reply reply = this.hub.get("/rooms/" + this.code + "/participants", this.password);
		if (!reply.ok()) {
			throw reply.failure("monitor room " + this.code);
		}
		this.participants.clear();
		for (JsonNode participant : reply.body().path("participants")) {
			this.participants.put(participant.path("id").asString(""), participant);
		}
	}

	synchronized void draw() {
		StringBuilder screen = new StringBuilder();
		if (!this.plain) {
			screen.append(CLEAR);
		}
		else {
			screen.append("----\n");
		}
		screen.append("Gambiarra monitor  room ").append(this.code).append("  ").append(this.hub.base())
			.append("  ").append(LocalTime.now().format(TIME)).append('\n');
		screen.append(String.format(Locale.ROOT, "requests %d  completed %d  errors %d  tokens %d%n", this.requests,
				this.completed, this.errors, this.tokens));
		screen.append('\n');
		List<List<String>> rows = new ArrayList<>();
		long now = System.currentTimeMillis();
		for (JsonNode p : this.participants.values()) {
			Double tps = this.lastTps.get(p.path("id").asString(""));
			long seen = (now - p.path("lastSeen").asLong(now)) / 1000;
			rows.add(List.of(p.path("nickname").asString(""), p.path("model").asString(""),
					p.path("status").asString(""), Math.max(0, seen) + "s ago",
					(tps != null) ? String.format(Locale.ROOT, "%.1f", tps) : "-"));
		}
		if (rows.isEmpty()) {
			screen.append("No participants yet.\n");
		}
		else {
			table(screen, List.of("NICKNAME", "MODEL", "STATUS", "LAST SEEN", "TOK/S"), rows);
		}
		screen.append("\nRecent events\n");
		if (this.recent.isEmpty()) {
			screen.append("  (none yet)\n");
		}
		this.recent.forEach((line) -> screen.append("  ").append(line).append('\n'));
		screen.append("\nCtrl+C to quit\n");
		synchronized (this.out) {
			this.out.print(screen);
			this.out.flush();
		}
	}

	private static void table(StringBuilder screen, List<String> header, List<List<String>> rows) {
		screen.append(TextTable.render(header, rows));
	}

	private void say(String line) {
		synchronized (this.out) {
			this.out.println(line);
			this.out.flush();
		}
	}

}
