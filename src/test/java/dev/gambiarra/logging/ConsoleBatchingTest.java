package dev.gambiarra.logging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gambiarra.GambiarraApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the hub runs, its console lines go through a batched stream and still reach standard output, in order; once
 * it stops, the console writes as before and nothing logged while it ran is missing.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsoleBatchingTest {

	private static final Logger logger = LoggerFactory.getLogger("dev.gambiarra.logging.test");

	private static List<ConsoleAppender<ILoggingEvent>> consoles() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		List<ConsoleAppender<ILoggingEvent>> consoles = new ArrayList<>();
		for (Iterator<Appender<ILoggingEvent>> each = context.getLogger(Logger.ROOT_LOGGER_NAME)
			.iteratorForAppenders(); each.hasNext();) {
			if (each.next() instanceof ConsoleAppender<ILoggingEvent> console) {
				consoles.add(console);
			}
		}
		return consoles;
	}

	@Test
	void theHubsConsoleLinesAreBatchedWhileItRunsAndAllWrittenByTheTimeItStops(CapturedOutput output) {
		ConfigurableApplicationContext hub = new SpringApplicationBuilder(GambiarraApplication.class).run(
				"--server.port=0", "--server.address=127.0.0.1", "--gambiarra.demo.enabled=false",
				"--gambiarra.mdns.enabled=false", "--gambiarra.console.enabled=false",
				"--gambiarra.logging.console-batch.enabled=true", "--gambiarra.logging.console-batch.interval=50ms");
		try {
			assertThat(consoles()).isNotEmpty()
				.allSatisfy((console) -> assertThat(console.getOutputStream()).isInstanceOf(BatchedOutput.class));
			for (int i = 0; i < 200; i++) {
				logger.info("batched line {}", i);
			}
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut()).contains("batched line 199"));
			String out = output.getOut();
			for (int i = 1; i < 200; i++) {
				assertThat(out.indexOf("batched line " + i + "\n", out.indexOf("batched line " + (i - 1) + "\n")))
					.as("line %d after line %d", i, i - 1)
					.isPositive();
			}
			logger.info("the last line before stopping");
		}
		finally {
			hub.close();
		}
		assertThat(output.getOut()).as("written by the time the hub stopped").contains("the last line before stopping");
		assertThat(consoles()).allSatisfy(
				(console) -> assertThat(console.getOutputStream()).isNotInstanceOf(BatchedOutput.class));
		logger.info("a line after the hub stopped");
		assertThat(output.getOut()).as("written as it comes again").contains("a line after the hub stopped");
	}

	@Test
	void offWhenDisabled() {
		ConfigurableApplicationContext hub = new SpringApplicationBuilder(GambiarraApplication.class).run(
				"--server.port=0", "--server.address=127.0.0.1", "--gambiarra.demo.enabled=false",
				"--gambiarra.mdns.enabled=false", "--gambiarra.console.enabled=false",
				"--gambiarra.logging.console-batch.enabled=false");
		try {
			assertThat(hub.getBeansOfType(ConsoleBatching.class)).isEmpty();
		}
		finally {
			hub.close();
		}
	}

}
