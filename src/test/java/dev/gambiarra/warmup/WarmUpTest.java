package dev.gambiarra.warmup;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.rooms.RoomService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up warm-up relays its requests before the port opens and leaves nothing behind: no room, no figures, no
 * meters, no request log lines, the hub's log levels as they were.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.demo.enabled=false", "gambiarra.mdns.enabled=false",
				"gambiarra.console.enabled=false", "gambiarra.warmup.enabled=true", "gambiarra.warmup.requests=120",
				"gambiarra.warmup.concurrency=4" })
@AutoConfigureWebTestClient
class WarmUpTest {

	@Autowired
	WarmUp warmUp;

	@Autowired
	RoomService rooms;

	@Autowired
	MeterRegistry meters;

	@Autowired
	LoggingSystem logging;

	@Autowired
	WebTestClient client;

	@Test
	void relaysItsRequestsBeforeThePortOpensAndLeavesNothingBehind(CapturedOutput output) {
		assertThat(this.warmUp.relayed()).as("every warm-up request answered 200").isEqualTo(120);
		assertThat(this.warmUp.getPhase()).as("starts before the web server opens the port")
			.isLessThan(Integer.MAX_VALUE - 2048);

		assertThat(this.rooms.rooms()).isEmpty();
		this.client.get().uri("/rooms").exchange().expectStatus().isOk().expectBody().json("{\"rooms\":[]}");
		assertThat(this.meters.getMeters()).extracting((Meter meter) -> meter.getId().getTag("room"))
			.as("no meter of the warm-up room")
			.containsOnlyNulls();

		assertThat(this.warmUp.linesEncoded()).as("the request log line was written for nothing, once per request")
			.isGreaterThanOrEqualTo(120);
		assertThat(output.getOut()).contains("Warmed up with 120 relayed requests")
			.doesNotContain("op=chat/completions")
			.doesNotContain("joined room");
		assertThat(this.logging.getLoggerConfiguration("dev.gambiarra").getEffectiveLevel()).isEqualTo(LogLevel.INFO);
		assertThat(this.logging.getLoggerConfiguration("dev.gambiarra.requests").getConfiguredLevel()).isNull();
	}

}
