package dev.gambiarra.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatTest {

	private static final EventAccess OPEN = OpenEventAccess.INSTANCE;

	private static EventsProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("gambiarra.events",
				EventsProperties.class);
	}

	@Test
	void heartbeatDefaultsToFifteenSecondsAndIsConfigurable() {
		assertThat(bind(Map.of()).heartbeat()).isEqualTo(Duration.ofSeconds(15));
		assertThat(bind(Map.of("gambiarra.events.heartbeat", "250ms")).heartbeat()).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void everyStreamGetsAHeartbeatCommentEachInterval() {
		EventsProperties properties = bind(Map.of());
		EventBus bus = new EventBus(properties);
		EventsController controller = new EventsController(bus, properties, OPEN, JsonMapper.shared());
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/events"));

		StepVerifier.withVirtualTime(() -> controller.hubFrames(exchange).map(HeartbeatTest::text))
			.assertNext((connected) -> assertThat(connected).startsWith("event:connected\ndata:{\"clientId\":\""))
			.expectNoEvent(Duration.ofSeconds(14))
			.thenAwait(Duration.ofSeconds(1))
			.assertNext(HeartbeatTest::isHeartbeat)
			.expectNoEvent(Duration.ofSeconds(14))
			.thenAwait(Duration.ofSeconds(1))
			.assertNext(HeartbeatTest::isHeartbeat)
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(bus.streamCount()).as("a cancelled stream is no longer counted").isZero();
	}

	@Test
	void roomStreamsGetTheConfiguredHeartbeatToo() {
		EventsProperties properties = bind(Map.of("gambiarra.events.heartbeat", "2s"));
		EventBus bus = new EventBus(properties);
		EventsController controller = new EventsController(bus, properties, OPEN, JsonMapper.shared());
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/rooms/abc/events"));

		StepVerifier.withVirtualTime(() -> controller.roomFrames("abc", exchange).map(HeartbeatTest::text))
			.assertNext((connected) -> assertThat(connected).startsWith("event:connected\ndata:{\"clientId\":\""))
			.expectNoEvent(Duration.ofMillis(1999))
			.thenAwait(Duration.ofMillis(1))
			.assertNext(HeartbeatTest::isHeartbeat)
			.thenCancel()
			.verify(Duration.ofSeconds(5));
	}

	/** A comment frame only: no event name, no data. */
	private static void isHeartbeat(String frame) {
		assertThat(frame).isEqualTo(":heartbeat\n\n");
	}

	private static String text(ByteBuffer frame) {
		return StandardCharsets.UTF_8.decode(frame.duplicate()).toString();
	}

}
