package dev.gambiarra.rooms;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.support.BusEvents;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A protected room guards everything about it, owners act with their {@code hostId}, participants with their token,
 * and secrets go nowhere they should not: each test tries to get in without the right credential and fails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.demo.enabled=false", "gambiarra.mdns.enabled=false",
				"gambiarra.console.enabled=false", "gambiarra.admin-token=the-admin-token",
				"logging.level.dev.gambiarra=DEBUG" })
@AutoConfigureWebTestClient(timeout = "30s")
@ExtendWith(OutputCaptureExtension.class)
class RoomSecurityTest {

	static final String PASSWORD = "open sesame";

	static final String API_KEY = "sk-participant-secret-4242";

	@RegisterExtension
	static final FakeLlm upstream = FakeLlm.start();

	@Autowired
	WebTestClient client;

	@Autowired
	EventBus bus;

	@Autowired
	JsonMapper json;

	HubClient hub;

	@BeforeEach
	void setUp() {
		this.hub = new HubClient(this.client);
		upstream.reset();
	}

	private HubClient.CreatedRoom protectedRoom() {
		return this.hub.createRoom(Map.of("name", "vault", "password", PASSWORD));
	}

	private String joinProtected(String code, String id) {
		Map<String, Object> body = new HashMap<>(Map.of("id", id, "nickname", "nick-" + id, "model", "llama",
				"endpoint", upstream.endpoint(), "password", PASSWORD, "apiKey", API_KEY));
		return this.hub.join(code, body);
	}

	@Test
	void everyRouteOfAProtectedRoomRefusesAMissingOrWrongPassword() {
		HubClient.CreatedRoom room = protectedRoom();
		joinProtected(room.code(), "p1");
		String[] roomRoutes = { "/rooms/{code}/participants", "/rooms/{code}/participants/p1/load" };
		for (String route : roomRoutes) {
			this.client.get().uri(route, room.code()).exchange().expectStatus().isUnauthorized()
				.expectBody().jsonPath("$.error").isEqualTo("Invalid password");
			this.client.get().uri(route, room.code()).header("Authorization", "Bearer wrong").exchange()
				.expectStatus().isUnauthorized().expectBody().returnResult();
			this.client.get().uri(route, room.code()).header("X-Room-Password", "wrong").exchange()
				.expectStatus().isUnauthorized().expectBody().returnResult();
		}
		this.client.get().uri("/rooms/{code}/events", room.code()).accept(MediaType.TEXT_EVENT_STREAM).exchange()
			.expectStatus().isUnauthorized()
			.expectBody().jsonPath("$.error").isEqualTo("Invalid password");
		for (String route : new String[] { "/rooms/{code}/v1/models", "/rooms/{code}/v1/models/p1" }) {
			this.client.get().uri(route, room.code()).header("Authorization", "Bearer wrong").exchange()
				.expectStatus().isUnauthorized()
				.expectBody().jsonPath("$.error.message").isEqualTo("Invalid password")
				.jsonPath("$.error.type").isEqualTo("authentication_error");
		}
		for (String operation : new String[] { "chat/completions", "completions", "embeddings" }) {
			this.client.post().uri("/rooms/{code}/v1/" + operation, room.code())
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("model", "*", "messages", java.util.List.of()))
				.exchange()
				.expectStatus().isUnauthorized()
				.expectBody().jsonPath("$.error.message").isEqualTo("Invalid password");
		}
		assertThat(upstream.received()).as("nothing reached the participant").isEmpty();
	}

	@Test
	void thePasswordOpensEveryRouteAsBearerOrHeaderAndTheAdminTokenToo() {
		HubClient.CreatedRoom room = protectedRoom();
		joinProtected(room.code(), "p1");
		this.client.get().uri("/rooms/{code}/participants", room.code()).header("Authorization", "Bearer " + PASSWORD)
			.exchange().expectStatus().isOk().expectBody().jsonPath("$.participants[0].id").isEqualTo("p1");
		this.client.get().uri("/rooms/{code}/v1/models", room.code()).header("X-Room-Password", PASSWORD)
			.exchange().expectStatus().isOk().expectBody().jsonPath("$.data[0].id").isEqualTo("p1");
		this.client.get().uri("/rooms/{code}/v1/models", room.code().toLowerCase())
			.header("Authorization", "Bearer the-admin-token").exchange()
			.expectStatus().isOk().expectBody().returnResult();
		this.client.post().uri("/rooms/{code}/v1/chat/completions", room.code())
			.header("Authorization", "Bearer " + PASSWORD)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "p1", "messages", java.util.List.of()))
			.exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.choices[0].message.content").isEqualTo("Hello from fake");
	}

	@Test
	void joiningAProtectedRoomNeedsThePassword() {
		HubClient.CreatedRoom room = protectedRoom();
		Map<String, Object> body = Map.of("id", "p1", "nickname", "n", "model", "m", "endpoint", upstream.endpoint());
		this.client.post().uri("/rooms/{code}/join", room.code()).bodyValue(body).exchange()
			.expectStatus().isUnauthorized().expectBody().jsonPath("$.error").isEqualTo("Invalid password");
		Map<String, Object> wrong = new HashMap<>(body);
		wrong.put("password", "nope");
		this.client.post().uri("/rooms/{code}/join", room.code()).bodyValue(wrong).exchange()
			.expectStatus().isUnauthorized().expectBody().returnResult();
		this.client.post().uri("/rooms/{code}/join", room.code()).header("X-Room-Password", PASSWORD)
			.bodyValue(body).exchange().expectStatus().isCreated().expectBody().returnResult();
	}

	@Test
	void onlyTheHostOrTheAdminClosesARoom() {
		HubClient.CreatedRoom room = protectedRoom();
		this.client.delete().uri("/rooms/{code}", room.code()).exchange()
			.expectStatus().isUnauthorized().expectBody().returnResult();
		this.client.delete().uri("/rooms/{code}", room.code()).header("Authorization", "Bearer " + PASSWORD)
			.exchange().expectStatus().isForbidden().expectBody().returnResult();
		String publicHostId = null;
		for (JsonNode listed : this.client.get().uri("/rooms").exchange().expectBody(JsonNode.class).returnResult()
			.getResponseBody().get("rooms")) {
			if (listed.get("code").asString().equals(room.code())) {
				publicHostId = listed.get("hostId").asString();
			}
		}
		assertThat(publicHostId).isNotNull().isNotEqualTo(room.hostId());
		this.client.delete().uri("/rooms/{code}", room.code()).header("Authorization", "Bearer " + publicHostId)
			.exchange().expectStatus().isForbidden().expectBody().returnResult();
		try (BusEvents events = BusEvents.of(this.bus, room.code())) {
			this.client.delete().uri("/rooms/{code}", room.code()).header("Authorization", "Bearer " + room.hostId())
				.exchange().expectStatus().isOk().expectBody().jsonPath("$.success").isEqualTo(true);
			assertThat(events.await("room:closed").data()).isEqualTo(Map.of("code", room.code(), "reason",
					"closed by host"));
		}
		this.client.get().uri("/rooms/{code}/participants", room.code()).exchange()
			.expectStatus().isNotFound().expectBody().returnResult();
		HubClient.CreatedRoom other = this.hub.createRoom("other");
		this.client.delete().uri("/rooms/{code}", other.code()).header("Authorization", "Bearer the-admin-token")
			.exchange().expectStatus().isOk().expectBody().returnResult();
	}

	@Test
	void onlyTheHostOrTheAdminKicks() {
		HubClient.CreatedRoom room = protectedRoom();
		joinProtected(room.code(), "p1");
		joinProtected(room.code(), "p2");
		String p3Token = joinProtected(room.code(), "p3");
		this.client.delete().uri("/rooms/{code}/participants/p1", room.code()).exchange()
			.expectStatus().isUnauthorized().expectBody().returnResult();
		this.client.delete().uri("/rooms/{code}/participants/p1", room.code())
			.header("Authorization", "Bearer " + p3Token).exchange()
			.expectStatus().isForbidden().expectBody().returnResult();
		try (BusEvents events = BusEvents.of(this.bus, room.code())) {
			this.client.delete().uri("/rooms/{code}/participants/p1", room.code())
				.header("Authorization", "Bearer " + room.hostId()).exchange()
			.expectStatus().isOk().expectBody().returnResult();
			assertThat(events.await("participant:kicked").data()).isEqualTo(Map.of("participantId", "p1"));
		}
		this.client.delete().uri("/rooms/{code}/participants/p2", room.code())
			.header("Authorization", "Bearer the-admin-token").exchange()
			.expectStatus().isOk().expectBody().returnResult();
		this.client.get().uri("/rooms/{code}/participants", room.code()).header("X-Room-Password", PASSWORD)
			.exchange().expectBody().jsonPath("$.participants.length()").isEqualTo(1);
	}

	@Test
	void inAProtectedRoomLeaveAndHealthNeedTheParticipantToken() {
		HubClient.CreatedRoom room = protectedRoom();
		String token = joinProtected(room.code(), "p1");
		this.client.post().uri("/rooms/{code}/health", room.code()).bodyValue(Map.of("id", "p1")).exchange()
			.expectStatus().isUnauthorized().expectBody().jsonPath("$.error").isEqualTo("Invalid participant token");
		this.client.post().uri("/rooms/{code}/health", room.code()).header("Authorization", "Bearer " + PASSWORD)
			.bodyValue(Map.of("id", "p1")).exchange().expectStatus().isUnauthorized().expectBody().returnResult();
		this.client.delete().uri("/rooms/{code}/leave/p1", room.code()).exchange()
			.expectStatus().isUnauthorized().expectBody().returnResult();
		this.client.post().uri("/rooms/{code}/health", room.code()).header("Authorization", "Bearer " + token)
			.bodyValue(Map.of("id", "p1")).exchange().expectStatus().isOk().expectBody().returnResult();
		this.client.delete().uri("/rooms/{code}/leave/p1", room.code()).header("Authorization", "Bearer " + token)
			.exchange().expectStatus().isOk().expectBody().jsonPath("$.success").isEqualTo(true);
	}

	@Test
	void anOpenRoomStillAcceptsABareIdForTheOriginalClients() {
		HubClient.CreatedRoom room = this.hub.createRoom("open");
		this.hub.join(room.code(), "p1", "m", upstream.endpoint());
		this.client.post().uri("/rooms/{code}/health", room.code()).bodyValue(Map.of("id", "p1")).exchange()
			.expectStatus().isOk().expectBody().returnResult();
		this.client.delete().uri("/rooms/{code}/leave/p1", room.code()).exchange()
			.expectStatus().isOk().expectBody().returnResult();
	}

	@Test
	void aTakenIdIsRefusedUnlessItsTokenComesAlong() {
		HubClient.CreatedRoom room = this.hub.createRoom("open");
		String token = this.hub.join(room.code(), "p1", "m", upstream.endpoint());
		Map<String, Object> again = Map.of("id", "p1", "nickname", "impostor", "model", "evil", "endpoint",
				upstream.endpoint());
		this.client.post().uri("/rooms/{code}/join", room.code()).bodyValue(again).exchange()
			.expectStatus().isEqualTo(HttpStatus.CONFLICT)
			.expectBody().jsonPath("$.error").isEqualTo("Participant ID already in use");
		this.client.post().uri("/rooms/{code}/join", room.code()).header("Authorization", "Bearer " + token)
			.bodyValue(again).exchange().expectStatus().isCreated()
			.expectBody().jsonPath("$.participant.model").isEqualTo("evil")
			.jsonPath("$.participantToken").isEqualTo(token);
	}

	@Test
	void neitherThePasswordNorTheClientAuthorizationReachAParticipantButItsApiKeyDoes() {
		HubClient.CreatedRoom room = protectedRoom();
		joinProtected(room.code(), "p1");
		this.client.post().uri("/rooms/{code}/v1/chat/completions", room.code())
			.header("Authorization", "Bearer " + PASSWORD)
			.header("X-Room-Password", PASSWORD)
			.header("X-Request-Id", "req-secret-check")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "*", "messages", java.util.List.of()))
			.exchange()
			.expectStatus().isOk().expectBody().returnResult();
		FakeLlm.Received received = upstream.lastReceived();
		assertThat(received.headers().getAll("Authorization")).containsExactly("Bearer " + API_KEY);
		assertThat(received.headers().contains("X-Room-Password")).isFalse();
		assertThat(received.headers().get("X-Request-Id")).isEqualTo("req-secret-check");
		assertThat(received.headers().toString()).doesNotContain(PASSWORD);
		assertThat(received.body()).doesNotContain(PASSWORD);
	}

	@Test
	void anOpenRoomParticipantWithoutApiKeyGetsNoAuthorizationAtAll() {
		HubClient.CreatedRoom room = this.hub.createRoom("open");
		this.hub.join(room.code(), "p1", "m", upstream.endpoint());
		this.client.post().uri("/rooms/{code}/v1/chat/completions", room.code())
			.header("Authorization", "Bearer client-own-openai-key")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "p1", "messages", java.util.List.of()))
			.exchange()
			.expectStatus().isOk().expectBody().returnResult();
		assertThat(upstream.lastReceived().headers().contains("Authorization")).isFalse();
	}

	@Test
	void theApiKeyNeverAppearsInResponsesEventsOrLogs(CapturedOutput output) {
		HubClient.CreatedRoom room = protectedRoom();
		try (BusEvents events = BusEvents.of(this.bus, room.code())) {
			String joined = this.client.post().uri("/rooms/{code}/join", room.code())
				.bodyValue(Map.of("id", "p1", "nickname", "n", "model", "m", "endpoint", upstream.endpoint(),
						"password", PASSWORD, "apiKey", API_KEY))
				.exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
			String participants = get("/rooms/" + room.code() + "/participants");
			String models = get("/rooms/" + room.code() + "/v1/models");
			String model = get("/rooms/" + room.code() + "/v1/models/p1");
			upstream.on("/v1/chat/completions", (request, response) -> FakeLlm.json(response, 500,
					"{\"error\":\"boom\"}"));
			String failed = this.client.post().uri("/rooms/{code}/v1/chat/completions", room.code())
				.header("Authorization", "Bearer " + PASSWORD).contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("model", "p1", "messages", java.util.List.of()))
				.exchange().expectStatus().is5xxServerError().expectBody(String.class).returnResult()
				.getResponseBody();
			events.await("llm:error");
			for (String text : new String[] { joined, participants, models, model, failed }) {
				assertThat(text).doesNotContain(API_KEY).doesNotContain(PASSWORD);
			}
			assertThat(joined).contains("participantToken");
			for (HubEvent event : events.events()) {
				assertThat(this.json.writeValueAsString(event.data())).doesNotContain(API_KEY)
					.doesNotContain(PASSWORD);
				assertThat(String.valueOf(event.data())).doesNotContain(API_KEY).doesNotContain(PASSWORD);
			}
		}
		assertThat(output.getAll()).contains("Participant p1 joined room").doesNotContain(API_KEY)
			.doesNotContain(PASSWORD);
	}

	@Test
	void hashesAndHostSecretsNeverShowInListings() {
		HubClient.CreatedRoom room = protectedRoom();
		String rooms = get("/rooms");
		assertThat(rooms).contains(room.code()).doesNotContain(room.hostId()).doesNotContain("argon2")
			.doesNotContain(PASSWORD);
	}

	@Test
	void theHubEventStreamNeedsTheAdminToken() {
		this.client.get().uri("/events").accept(MediaType.TEXT_EVENT_STREAM).exchange()
			.expectStatus().isUnauthorized().expectBody().returnResult();
		this.client.get().uri("/events").accept(MediaType.TEXT_EVENT_STREAM)
			.header("Authorization", "Bearer wrong").exchange()
			.expectStatus().isUnauthorized().expectBody().returnResult();
		var events = this.client.get().uri("/events").accept(MediaType.TEXT_EVENT_STREAM)
			.header("Authorization", "Bearer the-admin-token").exchange().expectStatus().isOk()
			.returnResult(String.class).getResponseBody();
		reactor.test.StepVerifier.create(events.take(1)).expectNextCount(1).thenCancel().verify(Duration.ofSeconds(5));
	}

	private String get(String path) {
		return this.client.get().uri(path).header("X-Room-Password", PASSWORD).exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
	}

}
