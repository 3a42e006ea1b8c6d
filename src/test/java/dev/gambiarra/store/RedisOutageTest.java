package dev.gambiarra.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.gambiarra.support.EventRecorder;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.Hub;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away while a hub runs, then comes back (with its append-only file, as a production Redis would): the
 * hub keeps relaying for the rooms it knows, is not ready, refuses state changes with a clear 503, and recovers by
 * itself without repeating an event.
 */
class RedisOutageTest {

	private final FakeLlm upstream = FakeLlm.start();

	private final RedisServer redis = RedisServer.start(true);

	private Hub hub;

	private Hub other;

	@AfterEach
	void stop() {
		if (this.other != null) {
			this.other.close();
		}
		if (this.hub != null) {
			this.hub.close();
		}
		this.upstream.close();
		this.redis.close();
	}

	@Test
	void aHubThatLosesRedisKeepsRelayingRefusesChangesWith503AndRecoversByItself() {
		String prefix = "outage-" + UUID.randomUUID() + ":";
		this.hub = Hub.onRedis(this.redis.url(), prefix, "gambiarra.store.redis.timeout=500ms");
		this.other = Hub.onRedis(this.redis.url(), prefix, "gambiarra.store.redis.timeout=500ms");
		HubClient.CreatedRoom room = this.hub.api().createRoom("outage");
		this.hub.api().join(room.code(), "llm-1", "m", this.upstream.endpoint());
		try (EventRecorder events = EventRecorder.open(this.hub.client(), "/rooms/" + room.code() + "/events",
				null);
				EventRecorder elsewhere = EventRecorder.open(this.other.client(), "/rooms/" + room.code() + "/events",
						null)) {
			readiness("UP");

			this.redis.stop();
			readiness("DOWN");
			chat(room.code()).expectStatus().isOk();
			this.hub.post("/rooms", Map.of("name", "new"), null)
				.expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.valueEquals("Retry-After", "1")
				.expectBody()
				.json("{\"error\":\"State store unavailable, try again later\"}");
			this.hub.post("/rooms/" + room.code() + "/join",
					Map.of("id", "llm-2", "nickname", "n", "model", "m", "endpoint", this.upstream.endpoint()), null)
				.expectStatus()
				.isEqualTo(503);

			long restarted = System.nanoTime();
			this.redis.restart();
			readiness("UP");
			await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> this.hub.post("/rooms/" + room.code() + "/join", Map.of("id", "llm-2", "nickname", "n",
						"model", "m", "endpoint", this.upstream.endpoint()), null)
					.returnResult(String.class)
					.getStatus()
					.value() == 201);
			System.out.printf("Recovered %d ms after redis-server restarted%n",
					Duration.ofNanos(System.nanoTime() - restarted).toMillis());
			events.awaitEvent("participant:joined", (data) -> data.get("id").asString().equals("llm-2"));
			chat(room.code()).expectStatus().isOk();
			events.awaitEvent("llm:complete");
			// Every event once: the reconnect neither replayed what the stream had delivered nor lost what followed.
			assertThat(events.data("participant:joined")).extracting((data) -> data.get("id").asString())
				.containsExactly("llm-2");
			assertThat(events.types().stream().filter("llm:request"::equals).count()).isEqualTo(1);
			// The other hub, which lost Redis too, follows the stream again: the same events, once each.
			elsewhere.awaitEvent("llm:complete");
			assertThat(elsewhere.types()).isEqualTo(events.types())
				.containsExactly("connected", "participant:joined", "llm:request", "llm:complete");
		}
		assertThat(this.hub.get("/rooms/" + room.code() + "/participants").get("participants")).hasSize(2);
	}

	private void readiness(String status) {
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> this.hub.client()
				.get()
				.uri("/actuator/health/readiness")
				.exchange()
				.returnResult(String.class)
				.getResponseBody()
				.blockFirst(Duration.ofSeconds(5))
				.contains("\"status\":\"" + status + "\""));
	}

	private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec chat(String code) {
		return this.hub.post("/rooms/" + code + "/v1/chat/completions",
				Map.of("model", "*", "messages", List.of(Map.of("role", "user", "content", "hi"))), null);
	}

}
