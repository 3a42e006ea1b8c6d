package dev.gambiarra.warmup;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's own log lines while the warm-up runs. Its thousands of request lines must not reach the console, but the
 * code that writes them must be warmed up as well: turned off, the log line was the slowest part of the first real
 * requests (the first thousand took ×6–13 their steady time with the request log on, ×2.4 with it off). So every
 * line of {@code dev.gambiarra.*} is encoded by the console's own encoders, exactly as it will be, and the bytes
 * dropped; warnings and errors still reach the real appenders.
 */
final class WarmUpLogs implements AutoCloseable {

	private static final String HUB = "dev.gambiarra";

	private final ch.qos.logback.classic.Logger hub;

	private final boolean additive;

	private final Sink sink;

	private WarmUpLogs(ch.qos.logback.classic.Logger hub, Sink sink) {
		this.hub = hub;
		this.additive = hub.isAdditive();
		this.sink = sink;
		sink.start();
		hub.addAppender(sink);
		hub.setAdditive(false);
	}

	/** Diverts the hub's lines (the jar's logging backend is Logback, as Spring Boot's starter brings it). */
	static WarmUpLogs divert() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
		List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
		List<Encoder<ILoggingEvent>> encoders = new ArrayList<>();
		for (Iterator<Appender<ILoggingEvent>> each = root.iteratorForAppenders(); each.hasNext();) {
			Appender<ILoggingEvent> appender = each.next();
			appenders.add(appender);
			if (appender instanceof OutputStreamAppender<ILoggingEvent> output && output.getEncoder() != null) {
				encoders.add(output.getEncoder());
			}
		}
		Sink sink = new Sink(appenders, encoders);
		sink.setContext(context);
		sink.setName("gambiarra-warm-up");
		return new WarmUpLogs(context.getLogger(HUB), sink);
	}

	/** Lines encoded (and dropped) so far. */
	long encoded() {
		return this.sink.encoded.sum();
	}

	@Override
	public void close() {
		this.hub.setAdditive(this.additive);
		this.hub.detachAppender(this.sink);
		this.sink.stop();
	}

	/** Encodes every event as the console would, keeps warnings and errors, drops the rest. */
	private static final class Sink extends UnsynchronizedAppenderBase<ILoggingEvent> {

		private final List<Appender<ILoggingEvent>> appenders;

		private final List<Encoder<ILoggingEvent>> encoders;

		private final LongAdder encoded = new LongAdder();

		Sink(List<Appender<ILoggingEvent>> appenders, List<Encoder<ILoggingEvent>> encoders) {
			this.appenders = appenders;
			this.encoders = encoders;
		}

		@Override
		protected void append(ILoggingEvent event) {
			if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
				this.appenders.forEach((appender) -> appender.doAppend(event));
				return;
			}
			for (Encoder<ILoggingEvent> encoder : this.encoders) {
				if (encoder.encode(event).length > 0) {
					this.encoded.increment();
				}
			}
		}

	}

}
