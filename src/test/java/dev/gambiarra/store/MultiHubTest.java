package dev.gambiarra.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;

import dev.gambiarra.support.EventRecorder;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.Hub;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two hubs on one Redis behave as one hub: rooms, participants, events and presence are shared. */
class MultiHubTest {

	/** A fresh participant server per test. */
	private final FakeLlm upstream = FakeLlm.start();

	private final String prefix = "multi-" + UUID.randomUUID() + ":";

	private Hub a;

	private Hub b;

	@AfterEach
	void stopHubs() {
		this.upstream.close();
		for (Hub hub : new Hub[] { this.a, this.b }) {
			if (hub != null) {
				hub.close();
			}
		}
	}

	@Test
	void aRoomCreatedOnOneHubIsJoinedChattedThroughAndClosedOnTheOtherAndBothStreamsCarryEveryEventOnce() {
		this.a = Hub.onRedis(RedisServer.shared().url(), this.prefix);
		this.b = Hub.onRedis(RedisServer.shared().url(), this.prefix);
		HubClient.CreatedRoom room = this.a.api().createRoom("club");
		// B has not necessarily read the stream yet: it looks the room up in Redis.
		try (EventRecorder onA = EventRecorder.open(this.a.client(), "/rooms/" + room.code() + "/events", null);
				EventRecorder onB = EventRecorder.open(this.b.client(), "/rooms/" + room.code() + "/events", null)) {
			this.b.api().join(room.code(), "llm-1", "m", this.upstream.endpoint());
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.a.get("/rooms/" + room.code() + "/participants").get("participants").size() == 1);
			this.a.post("/rooms/" + room.code() + "/v1/chat/completions",
					Map.of("model", "*", "messages", List.of(Map.of("role", "user", "content", "hi"))), null)
				.expectStatus()
				.isOk();
			this.b.client()
				.delete()
				.uri("/rooms/" + room.code())
				.headers((headers) -> headers.setBearerAuth(room.hostId()))
				.exchange()
				.expectStatus()
				.isOk();
			onA.awaitEvent("room:closed");
			onB.awaitEvent("room:closed");
			List<String> expected = List.of("connected", "participant:joined", "llm:request", "llm:complete",
					"room:closed");
			assertThat(onA.types()).containsExactlyElementsOf(expected);
			assertThat(onB.types()).containsExactlyElementsOf(expected);
			assertThat(onA.data("llm:complete").get(0).get("requestId"))
				.isEqualTo(onB.data("llm:complete").get(0).get("requestId"));
			assertThat(onB.data("participant:joined").get(0).has("token")).isFalse();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.a.get("/rooms").get("rooms").isEmpty());
		this.a.post("/rooms/" + room.code() + "/v1/chat/completions",
				Map.of("model", "*", "messages", List.of(Map.of("role", "user", "content", "hi"))), null)
			.expectStatus()
			.isNotFound();
	}

	@Test
	void aParticipantThatStopsHeartbeatingGoesOfflineOnceAcrossHubsAndComesBackOnce() {
		String[] fastPresence = { "gambiarra.health.interval=100ms", "gambiarra.health.timeout=600ms" };
		this.a = Hub.onRedis(RedisServer.shared().url(), this.prefix, fastPresence);
		this.b = Hub.onRedis(RedisServer.shared().url(), this.prefix, fastPresence);
		HubClient.CreatedRoom room = this.a.api().createRoom("presence");
		try (EventRecorder onA = EventRecorder.open(this.a.client(), "/rooms/" + room.code() + "/events", null);
				EventRecorder onB = EventRecorder.open(this.b.client(), "/rooms/" + room.code() + "/events", null)) {
			String token = this.a.api().join(room.code(), "quiet", "m", this.upstream.endpoint());
			onA.awaitEvent("participant:offline");
			onB.awaitEvent("participant:offline");
			// Both hubs keep sweeping every 100 ms: the transition is still announced once.
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(3))
				.until(() -> count(onA, "participant:offline") == 1 && count(onB, "participant:offline") == 1);
			assertThat(this.b.get("/rooms/" + room.code() + "/participants").get("participants").get(0).get("status")
				.asString()).isEqualTo("offline");
			this.b.post("/rooms/" + room.code() + "/health", Map.of("id", "quiet"), token).expectStatus().isOk();
			onA.awaitEvent("participant:online");
			onB.awaitEvent("participant:online");
			assertThat(count(onA, "participant:online")).isEqualTo(1);
			assertThat(count(onB, "participant:online")).isEqualTo(1);
		}
	}

	@Test
	void roomsParticipantsAndTokensSurviveARestartOfEveryHub() {
		this.a = Hub.onRedis(RedisServer.shared().url(), this.prefix);
		HubClient.CreatedRoom room = this.a.api().createRoom(Map.of("name", "vault", "password", "s3cret"));
		String token = this.a.api().join(room.code(),
				Map.of("id", "keeper", "nickname", "k", "model", "m", "endpoint", this.upstream.endpoint(), "password",
						"s3cret"));
		this.a.close();
		this.a = null;

		this.b = Hub.onRedis(RedisServer.shared().url(), this.prefix);
		JsonNode rooms = this.b.get("/rooms").get("rooms");
		assertThat(rooms).hasSize(1);
		assertThat(rooms.get(0).get("code").asString()).isEqualTo(room.code());
		assertThat(rooms.get(0).get("protected").asBoolean()).isTrue();
		// The password hash survived: a wrong password is refused, the right one opens the room.
		this.b.client().get().uri("/rooms/" + room.code() + "/participants")
			.headers((headers) -> headers.set("X-Room-Password", "wrong"))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNAUTHORIZED);
		JsonNode participants = this.b.client().get().uri("/rooms/" + room.code() + "/participants")
			.headers((headers) -> headers.set("X-Room-Password", "s3cret"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("participants");
		assertThat(participants).hasSize(1);
		assertThat(participants.get(0).get("id").asString()).isEqualTo("keeper");
		// The token survived: the participant keeps heart-beating without joining again, and can leave.
		this.b.post("/rooms/" + room.code() + "/health", Map.of("id", "keeper"), token).expectStatus().isOk();
		this.b.post("/rooms/" + room.code() + "/health", Map.of("id", "keeper"), "not-the-token")
			.expectStatus()
			.isUnauthorized();
		// So did the host secret.
		this.b.client()
			.delete()
			.uri("/rooms/" + room.code())
			.headers((headers) -> headers.setBearerAuth(room.hostId()))
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void wrongPasswordsCountOnEveryHubSoSpreadingThemOverHubsDoesNotBuyMoreGuesses() {
		String[] strict = { "gambiarra.security.max-failed-attempts=3", "gambiarra.security.failed-attempts-window=1m" };
		this.a = Hub.onRedis(RedisServer.shared().url(), this.prefix, strict);
		this.b = Hub.onRedis(RedisServer.shared().url(), this.prefix, strict);
		HubClient.CreatedRoom room = this.a.api().createRoom(Map.of("name", "guarded", "password", "right"));
		guess(this.a, room.code()).expectStatus().isUnauthorized();
		guess(this.a, room.code()).expectStatus().isUnauthorized();
		guess(this.b, room.code()).expectStatus().isUnauthorized();
		// Three failures in the club: hub B, which saw only one of them, throttles the client too. (Probed without
		// a password, which is refused but never counted, so the probe itself adds no failure.)
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.b.client()
				.get()
				.uri("/rooms/" + room.code() + "/participants")
				.exchange()
				.returnResult(String.class)
				.getStatus()
				.value() == 429);
	}

	private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec guess(Hub hub,
			String code) {
		return hub.client()
			.get()
			.uri("/rooms/" + code + "/participants")
			.headers((headers) -> headers.set("X-Room-Password", "wrong"))
			.exchange();
	}

	private static long count(EventRecorder recorder, String type) {
		return recorder.types().stream().filter(type::equals).count();
	}

}
