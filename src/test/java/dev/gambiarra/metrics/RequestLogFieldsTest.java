package dev.gambiarra.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The request line carries its fields as key-value pairs, what Boot's structured formats
 * ({@code logging.structured.format.console=ecs}, docs/observability.md) print as JSON keys, and its message is the
 * plain line (ObservabilityTest reads that one from the console).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@AutoConfigureWebTestClient
class RequestLogFieldsTest {

	private static FakeLlm llm;

	@Autowired
	WebTestClient client;

	@BeforeAll
	static void start() {
		llm = FakeLlm.start();
	}

	@AfterAll
	static void stop() {
		llm.close();
	}

	@Test
	void theRequestLineCarriesItsFieldsAsKeyValuePairsAndThePlainLineAsItsMessage() {
		HubClient hub = new HubClient(this.client);
		String code = hub.createRoom("structured").code();
		hub.join(code, "box", "llama", llm.endpoint());
		Logger requestLog = (Logger) LoggerFactory.getLogger("dev.gambiarra.requests");
		ListAppender<ILoggingEvent> lines = new ListAppender<>();
		lines.start();
		requestLog.addAppender(lines);
		try {
			this.client.post()
				.uri("/rooms/{code}/v1/chat/completions", code)
				.header("X-Request-Id", "req-kv-1")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("model", "box", "messages", List.of(Map.of("role", "user", "content", "hi"))))
				.exchange()
				.expectStatus()
				.isOk();
			await().atMost(Duration.ofSeconds(5)).until(() -> !lines.list.isEmpty());
		}
		finally {
			requestLog.detachAppender(lines);
		}
		ILoggingEvent line = lines.list.get(0);
		assertThat(line.getFormattedMessage()).startsWith("req-kv-1 room=" + code
				+ " participant=box model=llama op=chat/completions status=200 outcome=success ttftMs=")
			.contains(" tokens=4 tokensPerSecond=")
			.doesNotContain("reason=");
		Map<String, Object> fields = line.getKeyValuePairs()
			.stream()
			.filter((pair) -> pair.value != null)
			.collect(Collectors.toMap((KeyValuePair pair) -> pair.key, (pair) -> pair.value));
		assertThat(fields).containsEntry("requestId", "req-kv-1")
			.containsEntry("room", code)
			.containsEntry("participant", "box")
			.containsEntry("model", "llama")
			.containsEntry("operation", "chat/completions")
			.containsEntry("status", 200)
			.containsEntry("outcome", "success")
			.containsEntry("tokens", 4L)
			.containsKeys("ttftMs", "durationMs", "tokensPerSecond");
	}

}
