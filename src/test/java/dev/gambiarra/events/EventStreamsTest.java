package dev.gambiarra.events;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import dev.gambiarra.support.EventRecorder;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient.CreatedRoom;
import dev.gambiarra.support.ObservedHubTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventStreamsTest extends ObservedHubTest {

	@Test
	void hubStreamRequiresTheAdminTokenWhenOneIsConfigured() {
		this.client.get()
			.uri("/events")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNAUTHORIZED)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Admin token required");
		this.client.get()
			.uri("/events")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.headers((headers) -> headers.setBearerAuth("wrong-token"))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void hubStreamCarriesEveryRoomAndRoomCreatedCarriesThePublicRoom() {
		try (EventRecorder all = EventRecorder.open(this.client, "/events", ADMIN_TOKEN)) {
			CreatedRoom first = this.hub.createRoom("first");
			CreatedRoom second = this.hub.createRoom("second");
			JsonNode created = all.awaitEvent("room:created", (room) -> room.path("code").asString().equals(first.code()));
			assertThat(created.path("name").asString()).isEqualTo("first");
			assertThat(created.has("id")).isTrue();
			assertThat(created.path("hostId").asString()).as("never the owner's secret").isNotEqualTo(first.hostId());
			all.awaitEvent("room:created", (room) -> room.path("code").asString().equals(second.code()));

			this.hub.join(first.code(), "p-first", "m1", llm.endpoint());
			this.hub.join(second.code(), "p-second", "m2", llm.endpoint());
			JsonNode joined = all.awaitEvent("participant:joined", (p) -> p.path("id").asString().equals("p-first"));
			assertThat(joined.path("model").asString()).isEqualTo("m1");
			assertThat(joined.path("status").asString()).isEqualTo("online");
			assertThat(joined.has("token")).isFalse();
			all.awaitEvent("participant:joined", (p) -> p.path("id").asString().equals("p-second"));
		}
	}

	@Test
	void roomStreamsAreIsolatedAndMatchCodesCaseInsensitively() {
		CreatedRoom mine = this.hub.createRoom("mine");
		CreatedRoom other = this.hub.createRoom("other");
		String lowerCase = "/rooms/" + mine.code().toLowerCase(Locale.ROOT) + "/events";
		try (EventRecorder room = EventRecorder.open(this.client, lowerCase, null);
				EventRecorder otherRoom = EventRecorder.open(this.client, "/rooms/" + other.code() + "/events", null)) {
			this.hub.join(other.code(), "stranger", "m", llm.endpoint());
			this.hub.join(mine.code(), "friend", "m", llm.endpoint());
			room.awaitEvent("participant:joined", (p) -> p.path("id").asString().equals("friend"));
			otherRoom.awaitEvent("participant:joined", (p) -> p.path("id").asString().equals("stranger"));
			this.client.delete()
				.uri("/rooms/{code}/leave/{id}", mine.code(), "friend")
				.exchange()
				.expectStatus()
				.isOk();
			room.awaitEvent("participant:left");
			assertThat(room.types()).containsExactly("connected", "participant:joined", "participant:left");
			assertThat(otherRoom.types()).containsExactly("connected", "participant:joined");
			assertThat(room.data("participant:left").get(0).path("participantId").asString()).isEqualTo("friend");
		}
	}

	@Test
	void aRoomStreamEndsWithRoomClosed() {
		CreatedRoom room = this.hub.createRoom("closing");
		try (EventRecorder events = EventRecorder.open(this.client, "/rooms/" + room.code() + "/events", null)) {
			this.client.delete()
				.uri("/rooms/{code}", room.code())
				.headers((headers) -> headers.setBearerAuth(room.hostId()))
				.exchange()
				.expectStatus()
				.is2xxSuccessful();
			JsonNode closed = events.awaitEvent("room:closed");
			assertThat(closed.path("code").asString()).isEqualTo(room.code());
			await().atMost(Duration.ofSeconds(5)).until(events::isCompleted);
		}
	}

	@Test
	void llmEventsCarryTheRequestIdAndTheHubsOwnMeasurements() {
		CreatedRoom room = this.hub.createRoom("llm-events");
		this.hub.join(room.code(), "worker", "fake-model", llm.endpoint());
		llm.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.just(FakeLlm.chunk("One"), FakeLlm.chunk(" two"), FakeLlm.chunk(" three"),
						"{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}", "[DONE]")
					.delayElements(Duration.ofMillis(30))));
		try (EventRecorder events = EventRecorder.open(this.client, "/rooms/" + room.code() + "/events", null)) {
			this.client.post()
				.uri("/rooms/{code}/v1/chat/completions", room.code())
				.header("X-Request-Id", "req-events-1")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("model", "*", "stream", true, "messages",
						new Object[] { Map.of("role", "user", "content", "hi") }))
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals("X-Request-Id", "req-events-1")
				.expectBody(String.class)
				.value((body) -> assertThat(body).contains("[DONE]"));

			JsonNode request = events.awaitEvent("llm:request");
			assertThat(request.path("participantId").asString()).isEqualTo("worker");
			assertThat(request.path("requestId").asString()).isEqualTo("req-events-1");
			JsonNode complete = events.awaitEvent("llm:complete");
			assertThat(complete.path("participantId").asString()).isEqualTo("worker");
			assertThat(complete.path("model").asString()).isEqualTo("fake-model");
			assertThat(complete.path("requestId").asString()).isEqualTo("req-events-1");
			JsonNode metrics = complete.path("metrics");
			assertThat(metrics.path("tokens").asLong()).as("the upstream's usage wins").isEqualTo(7);
			assertThat(metrics.path("latencyFirstTokenMs").asLong()).isGreaterThanOrEqualTo(25);
			assertThat(metrics.path("durationMs").asLong()).isGreaterThanOrEqualTo(120)
				.isGreaterThan(metrics.path("latencyFirstTokenMs").asLong());
			assertThat(metrics.path("tokensPerSecond").asDouble()).isPositive();
			assertThat(events.types()).containsExactly("connected", "llm:request", "llm:complete");
			assertThat(llm.lastReceived().headers().get("X-Request-Id")).isEqualTo("req-events-1");
		}
	}

	@Test
	void aFailingUpstreamSendsLlmErrorAndNoLlmComplete() {
		CreatedRoom room = this.hub.createRoom("llm-error");
		this.hub.join(room.code(), "broken", "fake-model", llm.endpoint());
		llm.on("/v1/chat/completions",
				(request, response) -> FakeLlm.json(response, 500, "{\"error\":{\"message\":\"boom\"}}"));
		try (EventRecorder events = EventRecorder.open(this.client, "/rooms/" + room.code() + "/events", null)) {
			this.client.post()
				.uri("/rooms/{code}/v1/chat/completions", room.code())
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("model", "broken", "messages", new Object[0]))
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
			JsonNode error = events.awaitEvent("llm:error");
			assertThat(error.path("participantId").asString()).isEqualTo("broken");
			assertThat(error.path("requestId").asString()).isNotBlank();
			assertThat(events.types()).doesNotContain("llm:complete");
		}
	}

}
