package dev.gambiarra.events;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.SteppedClock;
import dev.gambiarra.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room's SSE stream, with a short presence timeout and sweep interval; the hub's clock is a {@link TestClock}
 * stepped past the timeout, so {@code participant:offline} happens within the test without waiting for it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.demo.enabled=false", "gambiarra.health.interval=100ms",
				"gambiarra.health.timeout=2s" })
@AutoConfigureWebTestClient
@Import(SteppedClock.class)
class RoomEventStreamTest {

	@RegisterExtension
	static final FakeLlm upstream = FakeLlm.start();

	@Autowired
	WebTestClient client;

	@Autowired
	JsonMapper json;

	@Autowired
	TestClock clock;



	@Test
	void streamsTheRoomsLifeInOrder() {
		HubClient hub = new HubClient(this.client);
		String code = hub.createRoom("watched").code();
		String elsewhere = hub.createRoom("elsewhere").code();
		Flux<ServerSentEvent<String>> stream = this.client.get()
			.uri("/rooms/{code}/events", code.toLowerCase())
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			// llm:complete is asserted where metrics are tested; here it would only interleave.
			.filter((event) -> event.event() != null && !"llm:complete".equals(event.event()));
		StepVerifier.create(stream)
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("connected");
				assertThat(data(event).get("clientId").asString()).isNotBlank();
			})
			.then(() -> {
				hub.join(elsewhere, "stranger", "m", upstream.endpoint());
				hub.join(code, "p1", "llama3", upstream.endpoint());
			})
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("participant:joined");
				assertThat(data(event).get("id").asString()).isEqualTo("p1");
				assertThat(data(event).get("status").asString()).isEqualTo("online");
				assertThat(event.data()).doesNotContain("token");
			})
			.then(() -> this.client.post()
				.uri("/rooms/{code}/v1/chat/completions", code)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("model", "p1", "messages", java.util.List.of()))
				.exchange()
				.expectStatus()
				.isOk())
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("llm:request");
				assertThat(data(event).get("participantId").asString()).isEqualTo("p1");
				assertThat(data(event).get("model").asString()).isEqualTo("p1");
			})
			.then(() -> this.client.delete()
				.uri("/rooms/{code}/leave/p1", code)
				.exchange()
				.expectStatus()
				.isOk())
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("participant:left");
				assertThat(data(event).get("participantId").asString()).isEqualTo("p1");
			})
			.then(() -> hub.join(code, "quiet", "m", upstream.endpoint()))
			.assertNext((event) -> assertThat(event.event()).isEqualTo("participant:joined"))
			.then(() -> this.clock.advance(Duration.ofSeconds(3)))
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("participant:offline");
				assertThat(data(event).get("participantId").asString()).isEqualTo("quiet");
			})
			.then(() -> this.client.post()
				.uri("/rooms/{code}/health", code)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("id", "quiet"))
				.exchange()
				.expectStatus()
				.isOk())
			// Offline was announced once, however many sweeps ran; the heartbeat brings it back.
			.assertNext((event) -> {
				assertThat(event.event()).isEqualTo("participant:online");
				assertThat(data(event).get("participantId").asString()).isEqualTo("quiet");
			})
			.thenCancel()
			.verify(Duration.ofSeconds(20));
	}

	private JsonNode data(ServerSentEvent<String> event) {
		return this.json.readTree(event.data());
	}

}
