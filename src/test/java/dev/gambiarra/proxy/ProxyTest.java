package dev.gambiarra.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.rooms.ParticipantStatus;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.HubTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI-compatible proxy against real fake upstreams: routing, rewriting, relaying and failures. */
@HubTest
class ProxyTest {

	@RegisterExtension
	static final FakeLlm upstream = FakeLlm.start();

	@RegisterExtension
	static final FakeLlm other = FakeLlm.start();

	@Autowired
	WebTestClient client;

	@Autowired
	EventBus events;

	@Autowired
	RoomService rooms;

	@Autowired
	JsonMapper json;

	HubClient hub;



	@BeforeEach
	void setUp() {
		upstream.reset();
		other.reset();
		this.hub = new HubClient(this.client);
	}

	@Test
	void nonStreamingAnswerIsPassedThroughWithTheRealModelName() {
		String code = this.hub.createRoom("plain").code();
		this.hub.join(code, Map.of("id", "p1", "nickname", "ana", "model", "llama3:8b", "endpoint",
				upstream.endpoint(), "apiKey", "sk-upstream-secret"));
		this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", code)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Authorization", "Bearer client-key")
			.header("X-Request-Id", "req-123")
			.bodyValue(Map.of("model", "p1", "messages", List.of(Map.of("role", "user", "content", "hi"))))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Request-Id", "req-123")
			.expectHeader()
			.valueEquals("Content-Length",
					String.valueOf(FakeLlm.completion("Hello from fake").getBytes(StandardCharsets.UTF_8).length))
			.expectHeader()
			.doesNotExist("Transfer-Encoding")
			.expectBody()
			.jsonPath("$.choices[0].message.content")
			.isEqualTo("Hello from fake")
			.jsonPath("$.usage.total_tokens")
			.isEqualTo(7);
		FakeLlm.Received received = upstream.lastReceived();
		assertThat(received.path()).isEqualTo("/v1/chat/completions");
		JsonNode sent = this.json.readTree(received.body());
		assertThat(sent.get("model").asString()).isEqualTo("llama3:8b");
		assertThat(sent.get("messages").get(0).get("content").asString()).isEqualTo("hi");
		assertThat(received.headers().get("X-Request-Id")).isEqualTo("req-123");
		assertThat(received.headers().get("Authorization")).isEqualTo("Bearer sk-upstream-secret");
		assertThat(received.headers().get("Content-Type")).isEqualTo("application/json");
		assertThat(received.headers().get("Accept")).isEqualTo("application/json");
		assertThat(received.headers().get("Content-Length"))
			.isEqualTo(String.valueOf(received.body().getBytes(StandardCharsets.UTF_8).length));
		assertThat(received.headers().get("Transfer-Encoding")).isNull();
	}

	@Test
	void aPlainAnswerThatArrivesInPartsIsRelayedWholeWithItsLength() {
		String code = this.hub.createRoom("parts").code();
		this.hub.join(code, "p1", "m", upstream.endpoint());
		String answer = FakeLlm.completion("first half, then the second half a moment later");
		byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
		int half = bytes.length / 2;
		// Two writes 100 ms apart: the hub reads the first part alone, so it cannot send the answer as one message.
		upstream.on("/v1/chat/completions", (request, response) -> response.status(200)
			.header("Content-Type", "application/json")
			.header("Content-Length", String.valueOf(bytes.length))
			.sendByteArray(Flux.concat(Flux.just(Arrays.copyOfRange(bytes, 0, half)),
					Flux.just(Arrays.copyOfRange(bytes, half, bytes.length)).delaySubscription(Duration.ofMillis(100)))));
		chat(code, Map.of("model", "p1")).expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Content-Length", String.valueOf(bytes.length))
			.expectHeader()
			.doesNotExist("Transfer-Encoding")
			.expectBody(String.class)
			.isEqualTo(answer);
	}

	@Test
	void clientAuthorizationNeverReachesAParticipantWithoutApiKey() {
		String code = this.hub.createRoom("no-key").code();
		this.hub.join(code, "p1", "m", upstream.endpoint());
		chat(code, Map.of("model", "*", "messages", List.of())).expectStatus().isOk();
		assertThat(upstream.lastReceived().headers().contains("Authorization")).isFalse();
	}

	@Test
	void upstreamErrorStatusesAndBodiesArePassedThrough() {
		String code = this.hub.createRoom("errors").code();
		this.hub.join(code, "p1", "m", upstream.endpoint());
		upstream.on("/v1/chat/completions", (request, response) -> FakeLlm.json(response, 400,
				"{\"error\":{\"message\":\"context too long\",\"type\":\"invalid_request_error\"}}"));
		chat(code, Map.of("model", "p1")).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("context too long");
		upstream.on("/v1/chat/completions",
				(request, response) -> FakeLlm.json(response, 500, "{\"error\":\"model crashed\"}"));
		chat(code, Map.of("model", "p1", "stream", true)).expectStatus()
			.isEqualTo(500)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("model crashed");
	}

	@Test
	void upstreamErrorBodiesThatAreNotJsonBecomeA502InTheOpenAiEnvelope() {
		String code = this.hub.createRoom("text errors").code();
		this.hub.join(code, "p1", "m", upstream.endpoint());
		upstream.on("/v1/chat/completions", (request, response) -> response.status(500)
			.header("Content-Type", "text/plain")
			.sendString(Flux.just("Internal Server Error:\n", "model runner crashed"))
			.then());
		for (boolean stream : List.of(false, true)) {
			chat(code, Map.of("model", "p1", "stream", stream)).expectStatus()
				.isEqualTo(502)
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
				.expectBody()
				.jsonPath("$.error.message")
				.isEqualTo("Failed to proxy request: upstream answered 500: Internal Server Error: model runner crashed")
				.jsonPath("$.error.type")
				.isEqualTo("api_error")
				.jsonPath("$.error.code")
				.isEqualTo("upstream_error");
		}

		String page = "<html><body>" + "x".repeat(10_000) + "</body></html>";
		upstream.on("/v1/chat/completions", (request, response) -> response.status(404)
			.header("Content-Type", "text/html")
			.sendString(Flux.just(page))
			.then());
		chat(code, Map.of("model", "p1")).expectStatus()
			.isEqualTo(502)
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Failed to proxy request: upstream answered 404: " + page.substring(0, 200));

		upstream.on("/v1/chat/completions", (request, response) -> response.status(503).send().then());
		chat(code, Map.of("model", "p1")).expectStatus()
			.isEqualTo(502)
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Failed to proxy request: upstream answered 503");

		upstream.on("/v1/chat/completions", (request, response) -> response.status(429)
			.header("Content-Type", "text/plain")
			.sendString(Flux.just("{\"error\":{\"message\":\"slow down\"}}"))
			.then());
		chat(code, Map.of("model", "p1")).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("slow down");
	}

	@Test
	void streamChunksReachTheClientBeforeTheUpstreamHasSentTheRest() {
		String code = this.hub.createRoom("stream").code();
		this.hub.join(code, "p1", "m", upstream.endpoint());
		Sinks.Many<String> upstreamChunks = Sinks.many().unicast().onBackpressureBuffer();
		upstream.on("/v1/chat/completions",
				(request, response) -> FakeLlm.sse(response, upstreamChunks.asFlux()));
		upstreamChunks.tryEmitNext(FakeLlm.chunk("first"));
		Flux<String> body = this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "*", "stream", true, "messages", List.of()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
			.returnResult(String.class)
			.getResponseBody();
		StepVerifier.create(body)
			.assertNext((data) -> assertThat(data).contains("first"))
			.then(() -> {
				// Only now, with the first chunk already in the client's hands, does the upstream go on.
				upstreamChunks.tryEmitNext(FakeLlm.chunk("second"));
				upstreamChunks.tryEmitNext("[DONE]");
				upstreamChunks.tryEmitComplete();
			})
			.assertNext((data) -> assertThat(data).contains("second"))
			.expectNext("[DONE]")
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void unreachableUpstreamIs502AndAnnouncesLlmError() {
		String code = this.hub.createRoom("dead").code();
		FakeLlm gone = FakeLlm.start();
		String deadEndpoint = gone.endpoint();
		gone.close();
		this.hub.join(code, "ghost", "m", deadEndpoint);
		StepVerifier.create(this.events.room(code).filter((event) -> event.type().startsWith("llm:")).take(2))
			.then(() -> chat(code, Map.of("model", "ghost")).expectStatus()
				.isEqualTo(502)
				.expectBody()
				.jsonPath("$.error.message")
				.value((String message) -> assertThat(message).startsWith("Failed to proxy request: "))
				.jsonPath("$.error.type")
				.isEqualTo("api_error"))
			.assertNext((event) -> assertThat(event.type()).isEqualTo("llm:request"))
			.assertNext((event) -> {
				assertThat(event.type()).isEqualTo("llm:error");
				assertThat(data(event)).containsEntry("participantId", "ghost").containsKey("error");
			})
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void routingFollowsTheModelField() {
		String code = this.hub.createRoom("routing").code();
		this.hub.join(code, "alpha", "llama3", upstream.endpoint());
		this.hub.join(code, "beta", "qwen", other.endpoint());
		chat(code, Map.of("model", "model:qwen")).expectStatus().isOk();
		assertThat(other.received()).hasSize(1);
		chat(code, Map.of("model", "alpha")).expectStatus().isOk();
		assertThat(upstream.received()).hasSize(1);
		chat(code, Map.of("model", "qwen")).expectStatus().isOk();
		assertThat(other.received()).hasSize(2);
		chat(code, Map.of("model", "any")).expectStatus().isOk();
		chat(code, Map.of("model", "*")).expectStatus().isOk();
		assertThat(upstream.received().size() + other.received().size()).isEqualTo(5);
		chat(code, Map.of("model", "model:mistral")).expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("No available participant for the requested model");
		this.rooms.updateStatus(this.rooms.require(code), "alpha", ParticipantStatus.ONLINE,
				ParticipantStatus.OFFLINE);
		chat(code, Map.of("model", "alpha")).expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Participant is offline");
		chat(code, Map.of("model", "llama3")).expectStatus().isNotFound();
		this.client.get()
			.uri("/rooms/{code}/v1/models", code)
			.exchange()
			.expectBody()
			.jsonPath("$.data.length()")
			.isEqualTo(1)
			.jsonPath("$.data[0].id")
			.isEqualTo("beta");
	}

	@Test
	void storedConfigSuppliesDefaultsThatTheRequestOverrides() {
		String code = this.hub.createRoom("defaults").code();
		this.hub.join(code, Map.of("id", "p1", "nickname", "n", "model", "m", "endpoint", upstream.endpoint(),
				"config", Map.of("temperature", 0.1, "max_tokens", 64)));
		chat(code, Map.of("model", "p1", "temperature", 0.9)).expectStatus().isOk();
		JsonNode sent = this.json.readTree(upstream.lastReceived().body());
		assertThat(sent.get("temperature").asDouble()).isEqualTo(0.9);
		assertThat(sent.get("max_tokens").asInt()).isEqualTo(64);
		this.client.post()
			.uri("/rooms/{code}/v1/embeddings", code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "p1", "input", "text"))
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(upstream.lastReceived().path()).isEqualTo("/v1/embeddings");
		assertThat(this.json.readTree(upstream.lastReceived().body()).has("max_tokens")).isFalse();
		this.client.post()
			.uri("/rooms/{code}/v1/completions", code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "p1", "prompt", "once upon"))
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(upstream.lastReceived().path()).isEqualTo("/v1/completions");
	}

	@Test
	void relayedPathsAnswerOtherMethodsLikeAnyUnknownRoute() {
		String code = this.hub.createRoom("methods").code();
		for (String operation : List.of("chat/completions", "completions", "embeddings")) {
			this.client.get()
				.uri("/rooms/{code}/v1/" + operation, code)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectBody()
				.jsonPath("$.error.message")
				.isEqualTo("Not found");
		}
		this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", code.toLowerCase(java.util.Locale.ROOT))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"nobody\"}")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("model_not_found");
	}

	@Test
	void aSingleModelCanBeRetrieved() {
		String code = this.hub.createRoom("retrieve").code();
		this.hub.join(code, "p1", "m", upstream.endpoint());
		this.client.get()
			.uri("/rooms/{code}/v1/models/p1", code)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo("p1")
			.jsonPath("$.object")
			.isEqualTo("model");
		this.client.get()
			.uri("/rooms/{code}/v1/models/nobody", code)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("not_found_error");
	}

	@Test
	void badRequestsGetOpenAiShapedErrors() {
		String code = this.hub.createRoom("bad").code();
		this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Invalid JSON body")
			.jsonPath("$.error.type")
			.isEqualTo("invalid_request_error")
			.jsonPath("$.error.code")
			.exists();
		chat(code, Map.of("messages", List.of())).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Missing required field: model");
		chat(code, Map.of("model", 7)).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.value((String message) -> assertThat(message).contains("'model'"));
		chat("NOPE99", Map.of("model", "*")).expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Room not found");
	}

	private WebTestClient.ResponseSpec chat(String code, Map<String, Object> body) {
		return this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> data(HubEvent event) {
		return (Map<String, Object>) event.data();
	}

}
