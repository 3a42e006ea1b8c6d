package dev.gambiarra.rooms;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.HubTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Every row of SPEC Part A that is not the proxy or the event stream: status, body shape, exact error strings. */
@HubTest
class CompatibilitySurfaceTest {

	@RegisterExtension
	static final FakeLlm upstream = FakeLlm.start();

	@Autowired
	WebTestClient client;

	HubClient hub;



	@BeforeEach
	void setUp() {
		this.hub = new HubClient(this.client);
	}

	@Test
	void healthAnswersOkWithATimestamp() {
		long before = System.currentTimeMillis();
		this.client.get()
			.uri("/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("ok")
			.jsonPath("$.timestamp")
			.value((Long timestamp) -> assertThat(timestamp).isGreaterThanOrEqualTo(before));
	}

	@Test
	void createRoomReturnsThePublicRoomAndTheHostSecretWithoutAnyHash() {
		JsonNode body = post("/rooms", Map.of("name", "club", "password", "s3cret")).expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode room = body.get("room");
		assertThat(room.propertyNames()).containsExactlyInAnyOrder("id", "code", "name", "hostId", "createdAt");
		assertThat(room.get("code").asString()).matches("[A-Z0-9]{6}");
		assertThat(room.get("name").asString()).isEqualTo("club");
		assertThat(room.get("createdAt").isNumber()).isTrue();
		assertThat(body.get("hostId").asString()).isNotBlank().isEqualTo(room.get("hostId").asString());
		assertThat(body.toString()).doesNotContain("s3cret").doesNotContainIgnoringCase("argon");
	}

	@Test
	void createRoomWithoutANameIsRefused() {
		post("/rooms", Map.of("password", "x")).expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"error\":\"Name is required\"}", org.springframework.test.json.JsonCompareMode.STRICT);
		post("/rooms", Map.of("name", "")).expectStatus().isBadRequest().expectBody().jsonPath("$.error")
			.isEqualTo("Name is required");
	}

	@Test
	void listRoomsShowsParticipantCountsAndNeverTheHostSecretOrPassword() {
		HubClient.CreatedRoom created = this.hub.createRoom(Map.of("name", "listed", "password", "pw-listed"));
		this.hub.join(created.code(), Map.of("id", "l1", "nickname", "n", "model", "m", "endpoint",
				upstream.endpoint(), "password", "pw-listed"));
		String body = this.client.get()
			.uri("/rooms")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).contains("\"code\":\"" + created.code() + "\"")
			.doesNotContain(created.hostId())
			.doesNotContain("pw-listed");
		this.client.get()
			.uri("/rooms")
			.exchange()
			.expectBody()
			.jsonPath("$.rooms[?(@.code == '%s')].participantCount".formatted(created.code()))
			.isEqualTo(1)
			.jsonPath("$.rooms[?(@.code == '%s')].hostId".formatted(created.code()))
			.exists();
	}

	@Test
	void joinReturnsTheParticipantInTheContractShape() {
		HubClient.CreatedRoom room = this.hub.createRoom("join-shape");
		JsonNode body = post("/rooms/" + room.code() + "/join",
				Map.of("id", "p-1", "nickname", "ana", "model", "llama3", "endpoint", upstream.endpoint(), "specs",
						Map.of("gpu", "RTX 4090", "vram", 24), "config", Map.of("temperature", 0.2)))
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode participant = body.get("participant");
		assertThat(participant.propertyNames()).containsExactly("id", "nickname", "model", "endpoint", "config",
				"specs", "status", "joinedAt", "lastSeen");
		assertThat(participant.get("status").asString()).isEqualTo("online");
		assertThat(participant.get("specs").get("gpu").asString()).isEqualTo("RTX 4090");
		assertThat(participant.get("config").get("temperature").asDouble()).isEqualTo(0.2);
		assertThat(participant.get("joinedAt").asLong()).isEqualTo(participant.get("lastSeen").asLong());
		assertThat(body.get("roomId").asString()).isNotBlank();
		assertThat(body.get("participantToken").asString()).hasSizeGreaterThanOrEqualTo(32);
	}

	@Test
	void joinErrorsUseTheOriginalMessages() {
		post("/rooms/NOPE99/join", Map.of("id", "x", "nickname", "n", "model", "m", "endpoint", upstream.endpoint()))
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Room not found");
		HubClient.CreatedRoom open = this.hub.createRoom("join-errors");
		post("/rooms/" + open.code() + "/join", Map.of("id", "x", "nickname", "n")).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Missing required fields: id, nickname, model, endpoint");
		HubClient.CreatedRoom locked = this.hub.createRoom(Map.of("name", "locked", "password", "right"));
		Map<String, Object> joiner = Map.of("id", "x", "nickname", "n", "model", "m", "endpoint", upstream.endpoint(),
				"password", "wrong");
		post("/rooms/" + locked.code() + "/join", joiner).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Invalid password");
		post("/rooms/" + locked.code() + "/join",
				Map.of("id", "x", "nickname", "n", "model", "m", "endpoint", upstream.endpoint()))
			.expectStatus()
			.isUnauthorized();
		post("/rooms/" + locked.code() + "/join",
				Map.of("id", "x", "nickname", "n", "model", "m", "endpoint", upstream.endpoint(), "password", "right"))
			.expectStatus()
			.isCreated();
	}

	@Test
	void leaveRemovesTheParticipantOnceAndNamesWhatIsMissing() {
		HubClient.CreatedRoom room = this.hub.createRoom("leave");
		this.hub.join(room.code(), "gone", "m", upstream.endpoint());
		this.client.delete()
			.uri("/rooms/{code}/leave/{id}", room.code(), "gone")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"success\":true}");
		this.client.delete()
			.uri("/rooms/{code}/leave/{id}", room.code(), "gone")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Participant not found");
		this.client.delete()
			.uri("/rooms/NOPE99/leave/gone")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Room not found");
	}

	@Test
	void healthHeartbeatUpdatesLastSeen() {
		HubClient.CreatedRoom room = this.hub.createRoom("heartbeat");
		this.hub.join(room.code(), "hb", "m", upstream.endpoint());
		long joinedLastSeen = participant(room.code(), "hb").get("lastSeen").asLong();
		org.awaitility.Awaitility.await().until(() -> System.currentTimeMillis() > joinedLastSeen);
		post("/rooms/" + room.code() + "/health", Map.of("id", "hb")).expectStatus()
			.isOk()
			.expectBody()
			.json("{\"success\":true}");
		assertThat(participant(room.code(), "hb").get("lastSeen").asLong()).isGreaterThan(joinedLastSeen);
		post("/rooms/" + room.code() + "/health", Map.of()).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Participant ID is required");
		post("/rooms/" + room.code() + "/health", Map.of("id", "who")).expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Participant not found");
		post("/rooms/NOPE99/health", Map.of("id", "hb")).expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Room not found");
	}

	@Test
	void participantsAndModelsListTheRoom() {
		HubClient.CreatedRoom room = this.hub.createRoom("models");
		this.hub.join(room.code(), Map.of("id", "m-1", "nickname", "bia", "model", "qwen2.5", "endpoint",
				upstream.endpoint()));
		this.client.get()
			.uri("/rooms/{code}/participants", room.code())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.participants[0].id")
			.isEqualTo("m-1");
		JsonNode models = this.client.get()
			.uri("/rooms/{code}/v1/models", room.code().toLowerCase())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(models.get("object").asString()).isEqualTo("list");
		JsonNode model = models.get("data").get(0);
		long joinedAt = participant(room.code(), "m-1").get("joinedAt").asLong();
		assertThat(model.get("id").asString()).isEqualTo("m-1");
		assertThat(model.get("object").asString()).isEqualTo("model");
		assertThat(model.get("created").asLong()).isEqualTo(joinedAt / 1000);
		assertThat(model.get("owned_by").asString()).isEqualTo("bia");
		assertThat(model.get("gambiarra").get("model").asString()).isEqualTo("qwen2.5");
		assertThat(model.get("gambiarra").get("nickname").asString()).isEqualTo("bia");
		assertThat(model.get("gambiarra").get("endpoint").asString()).isEqualTo(upstream.endpoint());
		this.client.get().uri("/rooms/NOPE99/participants").exchange().expectStatus().isNotFound();
		this.client.get()
			.uri("/rooms/NOPE99/v1/models")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Room not found");
		this.client.get().uri("/rooms/NOPE99/events").exchange().expectStatus().isNotFound();
	}

	@Test
	void preflightIsAnsweredForAnyPath() {
		this.client.options()
			.uri("/rooms/ABC123/v1/chat/completions")
			.header("Origin", "http://example.test")
			.header("Access-Control-Request-Method", "POST")
			.exchange()
			.expectStatus()
			.isNoContent()
			.expectHeader()
			.valueEquals("Access-Control-Allow-Origin", "*")
			.expectHeader()
			.value("Access-Control-Allow-Methods", (methods) -> assertThat(methods).contains("GET", "POST",
					"DELETE", "OPTIONS"))
			.expectHeader()
			.value("Access-Control-Allow-Headers",
					(headers) -> assertThat(headers).contains("Content-Type", "Authorization"));
	}

	@Test
	void anythingElseIsNotFound() {
		this.client.get().uri("/nope").exchange().expectStatus().isNotFound();
		this.client.get().uri("/rooms/ABC123/join").exchange().expectStatus().isNotFound();
		this.client.put().uri("/rooms").exchange().expectStatus().isNotFound();
	}

	@Test
	void badBodiesGetClearErrorsAndChangeNothing() {
		int roomsBefore = roomCount();
		this.client.post()
			.uri("/rooms")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": ")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Invalid JSON body");
		post("/rooms", Map.of("name", Map.of("nested", true))).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Invalid value for field 'name'");
		post("/rooms", Map.of("name", 42)).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Invalid value for field 'name'");
		HubClient.CreatedRoom room = this.hub.createRoom("typed");
		post("/rooms/" + room.code() + "/join",
				Map.of("id", "t", "nickname", "n", "model", "m", "endpoint", upstream.endpoint(), "specs", "big"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Invalid value for field 'specs'");
		post("/rooms/" + room.code() + "/join",
				Map.of("id", "t", "nickname", "n", "model", "m", "endpoint", "ftp://files.example/"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.value((String message) -> assertThat(message).startsWith("Invalid endpoint"));
		assertThat(roomCount()).isEqualTo(roomsBefore + 1);
		this.client.get()
			.uri("/rooms/{code}/participants", room.code())
			.exchange()
			.expectBody()
			.jsonPath("$.participants")
			.isEmpty();
	}

	@Test
	void oversizedBodiesAreRefusedWith413() {
		String huge = "x".repeat(70 * 1024);
		post("/rooms", Map.of("name", huge)).expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Request body too large");
		HubClient.CreatedRoom room = this.hub.createRoom("big");
		post("/rooms/" + room.code() + "/v1/chat/completions", Map.of("model", "*", "prompt", huge)).expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("request_too_large");
	}

	@Test
	void aBodyWithoutJsonContentTypeIsStillReadAsJson() {
		this.client.post()
			.uri("/rooms")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("{\"name\":\"curl-user\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.room.name")
			.isEqualTo("curl-user");
	}

	@Test
	void roomCodesAreCaseInsensitive() {
		HubClient.CreatedRoom room = this.hub.createRoom("cases");
		this.hub.join(room.code().toLowerCase(), "c1", "m", upstream.endpoint());
		this.client.get()
			.uri("/rooms/{code}/participants", room.code().toLowerCase())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.participants[0].id")
			.isEqualTo("c1");
	}

	private WebTestClient.ResponseSpec post(String uri, Object body) {
		return this.client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	private JsonNode participant(String code, String id) {
		JsonNode all = this.client.get()
			.uri("/rooms/{code}/participants", code)
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		for (JsonNode participant : all.get("participants")) {
			if (participant.get("id").asString().equals(id)) {
				return participant;
			}
		}
		throw new AssertionError("no participant " + id);
	}

	private int roomCount() {
		return this.client.get()
			.uri("/rooms")
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("rooms")
			.size();
	}

}
