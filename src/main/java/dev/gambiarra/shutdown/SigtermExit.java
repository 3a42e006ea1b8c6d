package dev.gambiarra.shutdown;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Makes SIGTERM end the hub with status 0. The JVM's own handler runs the shutdown hooks (and so Spring's graceful
 * shutdown) and then exits 143, which container runtimes and supervisors report as a failure. This handler calls
 * {@code System.exit(0)} instead: the same shutdown hooks run, the same graceful shutdown happens, the status is 0.
 * Installed once per JVM, in server mode only, when {@code gambiarra.shutdown.exit-zero-on-sigterm} is true.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class SigtermExit {

	private static final Logger logger = LoggerFactory.getLogger(SigtermExit.class);

	private static final AtomicBoolean installed = new AtomicBoolean();

	private final ShutdownProperties properties;

	SigtermExit(ShutdownProperties properties) {
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void install() {
		if (!this.properties.exitZeroOnSigterm() || !installed.compareAndSet(false, true)) {
			return;
		}
		try {
			Signal.handle(new Signal("TERM"), (signal) -> {
				logger.info("SIGTERM received: shutting down gracefully (grace period {})",
						this.properties.gracePeriod());
				System.exit(0);
			});
		}
		catch (IllegalArgumentException | UnsupportedOperationException ex) {
			installed.set(false);
			logger.debug("Cannot handle SIGTERM on this platform", ex);
		}
	}

}
