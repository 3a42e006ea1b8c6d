package dev.gambiarra.rooms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Bounded everything: each limit answers with a clear error and the hub keeps serving. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.demo.enabled=false", "gambiarra.mdns.enabled=false",
				"gambiarra.console.enabled=false", "gambiarra.limits.max-rooms=3",
				"gambiarra.limits.max-participants-per-room=2", "gambiarra.limits.max-name-length=10",
				"gambiarra.events.max-subscribers=1", "gambiarra.security.max-failed-attempts=3",
				"gambiarra.security.resolve-endpoint-hosts=false",
				"gambiarra.security.endpoint-deny-list=169.254.0.0/16,127.0.0.1/32,::1/128" })
@AutoConfigureWebTestClient(timeout = "30s")
class LimitsTest {

	@Autowired
	WebTestClient client;

	@Autowired
	FailedAttempts failedAttempts;

	HubClient hub;

	final List<HubClient.CreatedRoom> created = new ArrayList<>();

	@BeforeEach
	void setUp() {
		this.hub = new HubClient(this.client);
		this.failedAttempts.clear();
	}

	@AfterEach
	void closeRooms() {
		this.failedAttempts.clear();
		for (HubClient.CreatedRoom room : this.created) {
			this.client.delete().uri("/rooms/{code}", room.code()).header("Authorization", "Bearer " + room.hostId())
				.exchange().expectBody().returnResult();
		}
	}

	private HubClient.CreatedRoom room(Map<String, Object> body) {
		HubClient.CreatedRoom room = this.hub.createRoom(body);
		this.created.add(room);
		return room;
	}

	@Test
	void anEndpointWhoseNameResolvesToADeniedAddressIsRefusedWhenConnecting() {
		try (FakeLlm upstream = FakeLlm.start()) {
			String code = room(Map.of("name", "rebind")).code();
			String endpoint = "http://localhost:" + upstream.port();
			this.hub.join(code, Map.of("id", "p1", "nickname", "n", "model", "m", "endpoint", endpoint));
			this.client.post().uri("/rooms/{code}/v1/chat/completions", code)
				.bodyValue(Map.of("model", "p1", "messages", List.of()))
				.exchange()
				.expectStatus().isEqualTo(HttpStatus.BAD_GATEWAY)
				.expectBody().jsonPath("$.error.message")
				.isEqualTo("Failed to proxy request: participant address not allowed on this hub");
			assertThat(upstream.received()).isEmpty();
		}
	}

	@Test
	void roomsPerHubAreCapped() {
		for (int i = 0; i < 3; i++) {
			room(Map.of("name", "r" + i));
		}
		this.client.post().uri("/rooms").bodyValue(Map.of("name", "one more")).exchange()
			.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectBody().jsonPath("$.error").isEqualTo("Too many rooms on this hub");
	}

	@Test
	void participantsPerRoomAreCapped() {
		String code = room(Map.of("name", "full")).code();
		this.hub.join(code, "p1", "m", "http://localhost:1");
		this.hub.join(code, "p2", "m", "http://localhost:1");
		this.client.post().uri("/rooms/{code}/join", code)
			.bodyValue(Map.of("id", "p3", "nickname", "n", "model", "m", "endpoint", "http://localhost:1"))
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectBody().jsonPath("$.error").isEqualTo("Room is full");
	}

	@Test
	void namesAndNicknamesAreBounded() {
		this.client.post().uri("/rooms").bodyValue(Map.of("name", "a".repeat(11))).exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.error").isEqualTo("Name is too long (max 10 characters)");
		String code = room(Map.of("name", "short")).code();
		this.client.post().uri("/rooms/{code}/join", code)
			.bodyValue(Map.of("id", "p1", "nickname", "n".repeat(11), "model", "m", "endpoint", "http://localhost:1"))
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.error").isEqualTo("Field 'nickname' is too long (max 10 characters)");
	}

	@Test
	void eventSubscribersAreCapped() {
		String code = room(Map.of("name", "watched")).code();
		Flux<String> first = this.client.get().uri("/rooms/{code}/events", code).accept(MediaType.TEXT_EVENT_STREAM)
			.exchange().expectStatus().isOk().returnResult(String.class).getResponseBody();
		StepVerifier.create(first)
			.expectNextCount(1)
			.then(() -> this.client.get().uri("/rooms/{code}/events", code).accept(MediaType.TEXT_EVENT_STREAM)
				.exchange()
				.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectBody().jsonPath("$.error").isEqualTo("Too many event subscribers"))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void repeatedWrongPasswordsGet429WithRetryAfterEvenWithTheRightOneAfterwards() {
		HubClient.CreatedRoom room = room(Map.of("name", "vault", "password", "right"));
		for (int i = 0; i < 3; i++) {
			this.client.get().uri("/rooms/{code}/participants", room.code()).header("X-Room-Password", "wrong" + i)
				.exchange().expectStatus().isUnauthorized().expectBody().returnResult();
		}
		this.client.get().uri("/rooms/{code}/participants", room.code()).header("X-Room-Password", "right")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader().exists("Retry-After")
			.expectBody().jsonPath("$.error").isEqualTo("Too many failed attempts, try again later");
		this.client.get().uri("/rooms/{code}/v1/models", room.code()).header("Authorization", "Bearer right")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectBody().jsonPath("$.error.type").isEqualTo("rate_limit_error");
		this.client.post().uri("/rooms/{code}/join", room.code())
			.bodyValue(Map.of("id", "p1", "nickname", "n", "model", "m", "endpoint", "http://localhost:1",
					"password", "right"))
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS).expectBody().returnResult();
		this.client.delete().uri("/rooms/{code}", room.code()).header("Authorization", "Bearer " + room.hostId())
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS).expectBody().returnResult();
	}

	@Test
	void wrongTunnelTokensAreThrottledLikeWrongPasswords() {
		HubClient.CreatedRoom room = room(Map.of("name", "tunnel"));
		String code = room.code();
		String token = this.hub.join(code, Map.of("id", "nat", "nickname", "n", "model", "m", "tunnel", true));
		for (int i = 0; i < 3; i++) {
			this.client.get().uri("/rooms/{code}/participants/nat/tunnel", code)
				.header("Authorization", "Bearer wrong-" + i)
				.exchange()
				.expectStatus().isUnauthorized()
				.expectBody().json("{\"error\":\"Invalid participant token\"}");
		}
		// Over the limit: even the right token waits, as after wrong room passwords.
		this.client.get().uri("/rooms/{code}/participants/nat/tunnel", code)
			.header("Authorization", "Bearer " + token)
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader().exists("Retry-After")
			.expectBody().jsonPath("$.error").isEqualTo("Too many failed attempts, try again later");
		// The count is the address's, shared with the room routes: the host's own secret waits too.
		this.client.delete().uri("/rooms/{code}", code).header("Authorization", "Bearer " + room.hostId())
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS).expectBody().returnResult();
	}

	@Test
	void guessingHostSecretsIsThrottledToo() {
		HubClient.CreatedRoom room = room(Map.of("name", "owned"));
		for (int i = 0; i < 3; i++) {
			this.client.delete().uri("/rooms/{code}", room.code()).header("Authorization", "Bearer guess" + i)
				.exchange().expectStatus().isForbidden().expectBody().returnResult();
		}
		this.client.delete().uri("/rooms/{code}/participants/x", room.code())
			.header("Authorization", "Bearer guess")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader().exists("Retry-After");
	}

}
