package dev.gambiarra.support;

import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Small helpers over {@link WebTestClient} for the steps most hub tests repeat. */
public final class HubClient {

	private final WebTestClient client;

	public HubClient(WebTestClient client) {
		this.client = client;
	}

	public record CreatedRoom(String code, String hostId) {
	}

	public CreatedRoom createRoom(String name) {
		return createRoom(Map.of("name", name));
	}

	public CreatedRoom createRoom(Map<String, Object> body) {
		JsonNode created = postCreated("/rooms", body);
		return new CreatedRoom(created.get("room").get("code").asString(), created.get("hostId").asString());
	}

	/** Joins and returns the participant token. */
	public String join(String code, String id, String model, String endpoint) {
		return join(code, Map.of("id", id, "nickname", "nick-" + id, "model", model, "endpoint", endpoint));
	}

	public String join(String code, Map<String, Object> body) {
		JsonNode joined = postCreated("/rooms/" + code + "/join", body);
		return joined.get("participantToken").asString();
	}

	private JsonNode postCreated(String uri, Map<String, Object> body) {
		return this.client.post()
			.uri(uri)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CREATED)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

}
