package dev.gambiarra.agent;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.context.SmartLifecycle;
import org.springframework.web.reactive.socket.CloseStatus;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;

/**
 * The agent sessions of this hub: bounded in number, forgotten after {@code idle-timeout} without a client message
 * (a periodic sweep), all ended on shutdown so no socket holds the graceful stop.
 */
class SessionManager implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(SessionManager.class);

	private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();

	private final AtomicInteger reserved = new AtomicInteger();

	private final AgentProperties properties;

	private final EventBus events;

	private @Nullable Disposable sweeper;

	private volatile boolean running;

	SessionManager(AgentProperties properties, EventBus events) {
		this.properties = properties;
		this.events = events;
	}

	/** Claims a place for a new session; {@code false} at the limit. Release it with {@link #release()}. */
	boolean reserve() {
		while (true) {
			int current = this.reserved.get();
			if (current >= this.properties.maxSessions()) {
				return false;
			}
			if (this.reserved.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	void release() {
		this.reserved.decrementAndGet();
	}

	/** Registers a session whose place was reserved. */
	void add(AgentSession session) {
		this.sessions.put(session.id(), session);
	}

	@Nullable AgentSession find(String id) {
		return this.sessions.get(id);
	}

	Collection<AgentSession> sessions() {
		return this.sessions.values();
	}

	/** Ends and forgets a session. */
	void remove(AgentSession session, CloseStatus status, @Nullable Map<String, Object> lastWords) {
		if (this.sessions.remove(session.id(), session)) {
			release();
		}
		session.end(status, lastWords);
	}

	/** Ends sessions idle for longer than the timeout; returns how many. */
	int sweep() {
		return sweep(this.properties.idleTimeout());
	}

	int sweep(java.time.Duration idleTimeout) {
		int expired = 0;
		for (AgentSession session : this.sessions.values()) {
			if (session.idle().compareTo(idleTimeout) >= 0) {
				expired++;
				AgentSession.Task task = session.task();
				String message = "Session expired after " + idleTimeout.toSeconds()
						+ " s without a client message";
				this.events.publish(HubEvent.agentError(session.room(), session.id(),
						(task != null) ? task.id : null, "session_expired", message));
				if (task != null) {
					session.finish(task, Wire.message("task.failed", "taskId", task.id, "code", "session_expired",
							"message", message));
				}
				remove(session, CloseStatus.GOING_AWAY,
						Wire.message("error", "code", "session_expired", "message", message, "fatal", true));
			}
		}
		if (expired > 0) {
			logger.info("Expired {} idle agent session(s)", expired);
		}
		return expired;
	}

	@Override
	public void start() {
		this.sweeper = Flux.interval(this.properties.sweepInterval(), this.properties.sweepInterval())
			.onBackpressureDrop()
			.subscribe((tick) -> sweep(), (ex) -> logger.error("Agent session sweep failed", ex));
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		Disposable current = this.sweeper;
		if (current != null) {
			current.dispose();
		}
		for (AgentSession session : this.sessions.values()) {
			remove(session, CloseStatus.GOING_AWAY, Wire.message("error", "code", "shutting_down", "message",
					"The hub is shutting down", "fatal", true));
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
