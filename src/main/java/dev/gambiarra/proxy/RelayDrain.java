package dev.gambiarra.proxy;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Lets the relays on Netty's pipeline ({@link RelayConnection}) finish when the hub stops gracefully. Reactor Netty's
 * graceful shutdown waits only for the requests it serves itself and closes every other connection at once, so this
 * lifecycle stops just before it: from then on a new relay is answered 503 {@code hub_shutting_down} (and its
 * connection closed), and the stop completes when the last relay in flight has ended, or when
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (the hub's grace period) runs out. With
 * {@code server.shutdown=immediate} nothing waits.
 */
@Component
class RelayDrain implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RelayDrain.class);

	private final AtomicInteger inFlight = new AtomicInteger();

	private final boolean graceful;

	private volatile boolean draining;

	private volatile boolean running;

	private volatile @Nullable Runnable drained;

	RelayDrain(Environment environment) {
		this.graceful = !"immediate".equalsIgnoreCase(environment.getProperty("server.shutdown", "graceful"));
	}

	/** A relay begins. */
	void enter() {
		this.inFlight.incrementAndGet();
	}

	/** A relay ended: the last one to end during a drain completes the stop. */
	void exit() {
		if (this.inFlight.decrementAndGet() == 0 && this.draining) {
			done();
		}
	}

	/** Whether the hub is stopping: new relays are refused. */
	boolean isDraining() {
		return this.draining;
	}

	/** Relays in flight on the pipeline now. */
	int inFlight() {
		return this.inFlight.get();
	}

	@Override
	public void start() {
		this.draining = false;
		this.running = true;
	}

	@Override
	public void stop() {
		this.draining = true;
		this.running = false;
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		if (!this.graceful) {
			callback.run();
			return;
		}
		this.drained = callback;
		this.draining = true;
		int relays = this.inFlight.get();
		if (relays == 0) {
			done();
		}
		else {
			logger.info("Waiting for {} relayed request(s) in flight to finish", relays);
		}
	}

	private void done() {
		Runnable drained = this.drained;
		this.drained = null;
		if (drained != null) {
			drained.run();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Just before Reactor Netty's graceful shutdown, which would close these relays' connections. */
	@Override
	public int getPhase() {
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
	}

}
