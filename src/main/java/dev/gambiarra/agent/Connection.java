package dev.gambiarra.agent;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import org.springframework.web.reactive.socket.CloseStatus;

/**
 * One client WebSocket. Outgoing messages queue in a bounded buffer; a client that does not read falls behind,
 * overflows it and is disconnected (its session stays, and it may resume). Closing completes the outgoing stream,
 * so messages already queued are still written before the close frame.
 */
final class Connection {

	private static final Logger logger = LoggerFactory.getLogger(Connection.class);

	static final CloseStatus TAKEN_OVER = new CloseStatus(4000, "taken over");

	private final String id;

	private final Sinks.Many<String> out;

	private volatile @Nullable AgentSession session;

	private volatile @Nullable Disposable startTimer;

	private CloseStatus closeStatus = CloseStatus.NORMAL;

	private boolean closed;

	private final String client;

	/** @param client the remote address, for throttling wrong room passwords per caller */
	Connection(String id, String client, int buffer) {
		this.id = id;
		this.client = client;
		this.out = Sinks.many().unicast().onBackpressureBuffer(Queues.<String>get(buffer).get());
	}

	String id() {
		return this.id;
	}

	String client() {
		return this.client;
	}

	Flux<String> outbound() {
		return this.out.asFlux();
	}

	/** Queues a message; {@code false} when the connection is closed or was just dropped for being too slow. */
	synchronized boolean send(String json) {
		if (this.closed) {
			return false;
		}
		Sinks.EmitResult result = this.out.tryEmitNext(json);
		if (result.isFailure()) {
			logger.info("Agent connection {} dropped: {}", this.id, result);
			this.closed = true;
			this.closeStatus = CloseStatus.POLICY_VIOLATION.withReason("client too slow");
			this.out.tryEmitComplete();
			return false;
		}
		return true;
	}

	/** Writes what is queued, then closes with {@code status}. */
	synchronized void close(CloseStatus status) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.closeStatus = status;
		this.out.tryEmitComplete();
		Disposable timer = this.startTimer;
		if (timer != null) {
			timer.dispose();
		}
	}

	synchronized CloseStatus closeStatus() {
		return this.closeStatus;
	}

	synchronized boolean isClosed() {
		return this.closed;
	}

	@Nullable AgentSession session() {
		return this.session;
	}

	void session(@Nullable AgentSession session) {
		this.session = session;
		Disposable timer = this.startTimer;
		if (session != null && timer != null) {
			timer.dispose();
		}
	}

	void startTimer(Disposable timer) {
		this.startTimer = timer;
	}

}
