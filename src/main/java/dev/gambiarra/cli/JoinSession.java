package dev.gambiarra.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import dev.gambiarra.shell.CliException;
import dev.gambiarra.tunnel.TunnelClient;

/**
 * A participant's stay in a room: join, a heartbeat every interval, and a clean leave when stopped. When the hub
 * answers a heartbeat with 404 because it restarted and forgot us, the session joins again by itself; when the room
 * is still there (same room id) and we are not, the host kicked us and the session ends.
 */
final class JoinSession {

	private final Remote hub;

	private final String code;

	private final Map<String, Object> registration;

	private final @Nullable String password;

	private final Duration interval;

	private final PrintWriter out;

	private final CountDownLatch stop = new CountDownLatch(1);

	private final CountDownLatch finished = new CountDownLatch(1);

	/** Released to end the current wait between heartbeats early. */
	private final Semaphore wake = new Semaphore(0);

	/** When the session last handled a refused tunnel (nanoTime). */
	private volatile long refusalHandled = System.nanoTime() - Duration.ofDays(1).toNanos();

	private volatile @Nullable String token;

	private volatile @Nullable String roomId;

	private volatile int rejoins;

	/** With {@code --tunnel}: the local LLM's base URL, which only this process ever uses. */
	private final @Nullable String tunnelTo;

	private volatile @Nullable Disposable tunnel;

	private final @Nullable String localApiKey;

	private volatile boolean tunnelRefused;

	JoinSession(Remote hub, String code, Map<String, Object> registration, @Nullable String password,
			Duration interval, PrintWriter out) {
		this(hub, code, registration, password, interval, out, null);
	}

	JoinSession(Remote hub, String code, Map<String, Object> registration, @Nullable String password,
			Duration interval, PrintWriter out, @Nullable String tunnelTo) {
		this(hub, code, registration, password, interval, out, tunnelTo, null);
	}

	/** @param localApiKey with a tunnel: the local server's own key; only this process ever sends it, to it alone */
	JoinSession(Remote hub, String code, Map<String, Object> registration, @Nullable String password,
			Duration interval, PrintWriter out, @Nullable String tunnelTo, @Nullable String localApiKey) {
		this.tunnelTo = tunnelTo;
		this.localApiKey = localApiKey;
		this.hub = hub;
		this.code = code;
		this.registration = registration;
		this.password = password;
		this.interval = interval;
		this.out = out;
	}

	String participantId() {
		return (String) this.registration.get("id");
	}

	int rejoins() {
		return this.rejoins;
	}

	/** Joins once; any refusal (404 room, 401 password, 409 id, 400 fields, unreachable hub) is a failure. */
	JsonNode join() {
		Map<String, Object> body = new LinkedHashMap<>(this.registration);
		if (this.password != null) {
			body.put("password", this.password);
		}
		Reply reply = this.hub.post(roomPath("/join"), body, this.token);
		if (!reply.ok()) {
			throw reply.failure("join room " + this.code);
		}
		this.token = reply.body().path("participantToken").asString(null);
		this.roomId = reply.body().path("roomId").asString(null);
		return reply.body();
	}

	/**
	 * Heartbeats until {@link #stop()}, then leaves. Returns normally when stopped; throws when kicked. With a
	 * tunnel, the tunnel's own ping is the heartbeat: the tunnel reconnects by itself, and only when the hub refuses
	 * it (it forgot us, or we were kicked) does the session check with a heartbeat, join again and reopen it.
	 */
	void run() {
		try {
			openTunnel();
			while (true) {
				// Woken early by stop() and by a refused tunnel, so a kicked participant is told at once.
				this.wake.tryAcquire(this.interval.toMillis(), TimeUnit.MILLISECONDS);
				if (this.stop.getCount() == 0) {
					break;
				}
				if (this.tunnelTo == null) {
					beat();
				}
				else if (this.tunnelRefused) {
					this.refusalHandled = System.nanoTime();
					beat();
					openTunnel();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			Disposable open = this.tunnel;
			if (open != null) {
				open.dispose();
			}
			try {
				leave();
			}
			finally {
				this.finished.countDown();
			}
		}
	}

	/** Asks the session to leave; waits (bounded) until it has. */
	void stop(Duration wait) {
		this.stop.countDown();
		this.wake.release();
		try {
			this.finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void openTunnel() {
		String local = this.tunnelTo;
		String current = this.token;
		if (local == null || current == null) {
			return;
		}
		Disposable previous = this.tunnel;
		if (previous != null) {
			previous.dispose();
		}
		this.tunnelRefused = false;
		this.tunnel = new TunnelClient(URI.create(this.hub.base()), this.code, participantId(), current, local,
				this.localApiKey)
			.run(this::say, () -> {
				this.tunnelRefused = true;
				// At once the first time; a hub that keeps refusing is asked again once per interval, not in a loop.
				if (System.nanoTime() - this.refusalHandled >= this.interval.toNanos()) {
					this.wake.release();
				}
			});
	}

	/** The tunnel of this session, if it serves through one and it is open now (for tests). */
	boolean tunnelling() {
		Disposable open = this.tunnel;
		return open != null && !open.isDisposed() && !this.tunnelRefused;
	}

	private void beat() {
		Reply reply;
		try {
			reply = this.hub.post(roomPath("/health"), Map.of("id", participantId()), this.token);
		}
		catch (CliException ex) {
			say("Hub unreachable (" + ex.getMessage() + "); still trying every " + this.interval.toSeconds() + "s");
			return;
		}
		if (reply.ok()) {
			return;
		}
		if (reply.status() == 404) {
			rejoin(reply.error());
			return;
		}
		say("Heartbeat refused (" + reply.status() + " " + reply.error() + "); still trying");
	}

	private void rejoin(String reason) {
		if ("Participant not found".equals(reason) && sameRoomStillThere()) {
			this.stop.countDown();
			this.token = null;
			this.roomId = null;
			throw CliException.failure("Removed from room " + this.code + " by its host");
		}
		this.token = null;
		try {
			join();
			this.rejoins++;
			say("The hub had forgotten us (" + reason + "); joined room " + this.code + " again");
		}
		catch (CliException ex) {
			say("Could not join room " + this.code + " again (" + ex.getMessage() + "); retrying");
		}
	}

	private boolean sameRoomStillThere() {
		try {
			Reply rooms = this.hub.get("/rooms", null);
			for (JsonNode room : rooms.body().path("rooms")) {
				if (this.code.equalsIgnoreCase(room.path("code").asString(""))) {
					return room.path("id").asString("").equals(this.roomId);
				}
			}
		}
		catch (CliException ex) {
			// cannot tell: try to join again
		}
		return false;
	}

	private void leave() {
		if (this.token == null && this.roomId == null) {
			return;
		}
		try {
			Reply reply = this.hub.delete(roomPath("/leave/" + participantId()), this.token);
			say(reply.ok() ? "Left room " + this.code : "Leave refused: " + reply.error());
		}
		catch (CliException ex) {
			say("Could not leave cleanly: " + ex.getMessage());
		}
	}

	private String roomPath(String suffix) {
		return "/rooms/" + this.code + suffix;
	}

	private void say(String line) {
		synchronized (this.out) {
			this.out.println(line);
			this.out.flush();
		}
	}

}
