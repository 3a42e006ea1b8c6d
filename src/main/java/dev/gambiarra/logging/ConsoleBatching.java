package dev.gambiarra.logging;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * While the hub runs, its console appenders write through a {@link BatchedOutput}: a log line is copied into memory
 * on the thread that logged it and written to standard output with the others of the same
 * {@code gambiarra.logging.console-batch.interval}, in one write from one background thread. Measured from outside,
 * the request log's one write per request, on the event loop, and the wake-up of the process reading the console
 * that each write causes, were a cost of every relayed request on a two-core machine. The format, levels and
 * appenders stay as configured; only the moment of the write changes (by at most the interval).
 * <p>
 * It starts first and stops last of the hub's lifecycles, so everything logged while the hub runs is written before
 * it exits; before and after, lines are written as they come (start-up failures included).
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(name = "gambiarra.logging.console-batch.enabled", havingValue = "true", matchIfMissing = true)
class ConsoleBatching implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ConsoleBatching.class);

	private final ConsoleBatchProperties properties;

	private final List<Batched> batched = new ArrayList<>();

	private volatile boolean running;

	ConsoleBatching(ConsoleBatchProperties properties) {
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		if (factory instanceof LoggerContext context) {
			ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
			for (Iterator<Appender<ILoggingEvent>> each = root.iteratorForAppenders(); each.hasNext();) {
				// Another hub in the same JVM (tests) may have batched it already: the logging backend is per JVM.
				if (each.next() instanceof ConsoleAppender<ILoggingEvent> console && console.isStarted()
						&& console.getOutputStream() != null
						&& !(console.getOutputStream() instanceof BatchedOutput)) {
					OutputStream original = console.getOutputStream();
					BatchedOutput output = new BatchedOutput(original, this.properties.interval(),
							(int) Math.min(Integer.MAX_VALUE, this.properties.maxPending().toBytes()));
					console.setOutputStream(output);
					this.batched.add(new Batched(console, original, output));
				}
			}
		}
		else {
			logger.debug("Console lines written as they come: the logging backend is not Logback");
		}
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		for (Batched each : this.batched) {
			// Closes the batched stream: what is waiting is written, then the original stream takes over again.
			if (each.console().getOutputStream() == each.output()) {
				each.console().setOutputStream(each.original());
			}
		}
		this.batched.clear();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** First to start, last to stop. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 1000;
	}

	private record Batched(ConsoleAppender<ILoggingEvent> console, OutputStream original, BatchedOutput output) {
	}

}
