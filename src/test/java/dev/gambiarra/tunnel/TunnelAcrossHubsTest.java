package dev.gambiarra.tunnel;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.ParticipantStatus;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.support.EventRecorder;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.Hub;
import dev.gambiarra.support.RedisServer;
import dev.gambiarra.support.TcpRelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two hubs on one Redis, a tunnel participant whose tunnel (the real {@link TunnelClient}) is open on one of them: a
 * request that arrives on the other hub reaches the participant through the hub that holds the tunnel.
 */
class TunnelAcrossHubsTest {

	private final FakeLlm local = FakeLlm.start();

	private final String prefix = "across-" + UUID.randomUUID() + ":";

	private final List<Disposable> running = new CopyOnWriteArrayList<>();

	private final ConnectionProvider connections = ConnectionProvider.builder("across-test").maxConnections(16).build();

	private Hub a;

	private Hub b;

	@AfterEach
	void tearDown() {
		this.running.forEach(Disposable::dispose);
		this.connections.dispose();
		this.local.close();
		for (Hub hub : new Hub[] { this.a, this.b }) {
			if (hub != null) {
				hub.close();
			}
		}
	}

	record Joined(String code, String id, String token) {
	}

	private void startHubs(String... aProperties) {
		this.a = Hub.onRedis(RedisServer.shared().url(), this.prefix, aProperties);
		this.b = Hub.onRedis(RedisServer.shared().url(), this.prefix);
	}

	private Joined joinTunnel(String room) {
		String code = this.a.api().createRoom(room).code();
		String token = this.a.api().join(code, Map.of("id", "nat-1", "nickname", "behind-nat", "model", "llama3",
				"endpoint", this.local.endpoint(), "tunnel", true));
		// Both hubs have the participant in their view before any request is routed to it.
		for (Hub hub : new Hub[] { this.a, this.b }) {
			await().atMost(Duration.ofSeconds(10)).until(() -> hub.bean(RoomService.class).require(code)
				.participant("nat-1") != null);
		}
		return new Joined(code, "nat-1", token);
	}

	/** Runs the participant's real tunnel client against {@code owner}; waits until {@code other} knows the owner. */
	private Disposable openTunnel(Joined joined, Hub owner, Hub other) {
		return openTunnel(joined, owner.port(), owner, other);
	}

	/** As above, the client connecting to {@code port} (a relay in front of {@code owner}). */
	private Disposable openTunnel(Joined joined, int port, Hub owner, Hub other) {
		Disposable client = new TunnelClient(URI.create("http://127.0.0.1:" + port), joined.code(),
				joined.id(), joined.token(), this.local.endpoint(), null)
			.run((line) -> {
			});
		this.running.add(client);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> owner.bean(Tunnels.class).isConnected(joined.code(), joined.id()));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ownerSeenBy(other, joined) != null && ownerSeenBy(owner, joined) == null);
		return client;
	}

	private static String ownerSeenBy(Hub hub, Joined joined) {
		return hub.bean(TunnelOwners.class).elsewhere(joined.code(), joined.id());
	}

	private static Participant participant(Hub hub, Joined joined) {
		return hub.bean(RoomService.class).require(joined.code()).participant(joined.id());
	}

	private static String chat(String model, boolean stream) {
		return "{\"model\":\"" + model + "\",\"stream\":" + stream
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
	}

	private Flux<String> stream(Hub hub, String code, String model) {
		return HttpClient.create(this.connections)
			.baseUrl("http://127.0.0.1:" + hub.port())
			.headers((headers) -> headers.set("Content-Type", "application/json"))
			.post()
			.uri("/rooms/" + code + "/v1/chat/completions")
			.send(ByteBufFlux.fromString(Mono.just(chat(model, true))))
			.responseContent()
			.asString(StandardCharsets.UTF_8);
	}

	private static WebTestClient.ResponseSpec post(Hub hub, String code, String model) {
		return hub.client()
			.post()
			.uri("/rooms/{code}/v1/chat/completions", code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(chat(model, false))
			.exchange();
	}

	private static String answer(Hub hub, String code, String model) {
		JsonNode body = post(hub, code, model).expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		return body.at("/choices/0/message/content").asString();
	}

	private static double requestsCounted(Hub hub) {
		return hub.bean(MeterRegistry.class).find("gambiarra.proxy.requests").counters().stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	@Test
	void aRequestOnTheOtherHubIsStreamedChunkByChunkThroughTheHubThatHoldsTheTunnel() {
		Sinks.Empty<Void> second = Sinks.empty();
		this.local.on("/v1/chat/completions", (request, response) -> request.body().contains("\"stream\":true")
				? FakeLlm.sse(response, Flux.concat(Flux.just(FakeLlm.chunk("first")),
						second.asMono().thenMany(Flux.just(FakeLlm.chunk("second"), "[DONE]"))))
				: FakeLlm.json(response, 200, FakeLlm.completion("Hello from fake")));
		startHubs();
		Joined joined = joinTunnel("across");
		try (EventRecorder events = EventRecorder.open(this.b.client(), "/rooms/" + joined.code() + "/events",
				null)) {
			openTunnel(joined, this.a, this.b);
			assertThat(participant(this.b, joined).status()).isEqualTo(ParticipantStatus.ONLINE);
			// The default advertise URL of a hub bound to 127.0.0.1 (Hub.onRedis sets server.address).
			assertThat(ownerSeenBy(this.b, joined)).isEqualTo("http://127.0.0.1:" + this.a.port());

			// Streamed: the first chunk reaches the client on hub B while the participant still holds the second.
			List<String> received = new CopyOnWriteArrayList<>();
			AtomicBoolean done = new AtomicBoolean();
			this.running.add(stream(this.b, joined.code(), "nat-1").subscribe(received::add, (ex) -> {
			}, () -> done.set(true)));
			await().atMost(Duration.ofSeconds(10)).until(() -> String.join("", received).contains("first"));
			assertThat(String.join("", received)).doesNotContain("second");
			assertThat(done).isFalse();
			second.tryEmitEmpty();
			await().atMost(Duration.ofSeconds(10)).untilTrue(done);
			assertThat(String.join("", received)).contains("\"content\":\"second\"").endsWith("data: [DONE]\n\n");

			// Plain JSON, with the client's request id and without its credentials or the hubs' secret.
			JsonNode answer = this.b.client()
				.post()
				.uri("/rooms/{code}/v1/chat/completions", joined.code())
				.contentType(MediaType.APPLICATION_JSON)
				.header("X-Request-Id", "req-across-1")
				.header("Authorization", "Bearer client-secret")
				.bodyValue(chat("model:llama3", false))
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals("X-Request-Id", "req-across-1")
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody();
			assertThat(answer.at("/choices/0/message/content").asString()).isEqualTo("Hello from fake");
			FakeLlm.Received last = this.local.lastReceived();
			assertThat(last.headers().get("X-Request-Id")).isEqualTo("req-across-1");
			assertThat(last.headers().get("Authorization")).isNull();
			assertThat(last.headers().names()).noneMatch((name) -> name.toLowerCase().startsWith("x-gambiarra"));
			assertThat(last.body()).contains("\"model\":\"llama3\"");

			// One set of events and metrics, hub B's: hub A only carried the bytes.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> events.types().stream().filter("llm:complete"::equals).count() == 2);
			assertThat(events.types().stream().filter("llm:request"::equals)).hasSize(2);
			assertThat(events.data("llm:complete")).anySatisfy(
					(data) -> assertThat(data.get("requestId").asString()).isEqualTo("req-across-1"));
			assertThat(requestsCounted(this.b)).isEqualTo(2.0);
			assertThat(requestsCounted(this.a)).isZero();

			// Hub A's address is never shown to clients.
			String listing = this.b.client().get().uri("/rooms/{code}/participants", joined.code()).exchange()
				.expectBody(String.class).returnResult().getResponseBody();
			assertThat(listing).contains("\"endpoint\":\"tunnel\"").doesNotContain(":" + this.a.port());
			assertThat(events.frames().toString()).doesNotContain(":" + this.a.port());
		}
	}

	@Test
	void theOfficialOpenAiJavaSdkOnTheOtherHubWorksThroughTheTunnel() {
		startHubs();
		Joined joined = joinTunnel("sdk");
		openTunnel(joined, this.a, this.b);
		OpenAIClient openAi = OpenAIOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.b.port() + "/rooms/" + joined.code() + "/v1")
			.apiKey("anything")
			.maxRetries(0)
			.build();
		try {
			ChatCompletion completion = openAi.chat()
				.completions()
				.create(ChatCompletionCreateParams.builder().model("nat-1").addUserMessage("hello").build());
			assertThat(completion.choices().get(0).message().content()).contains("Hello from fake");
			try (StreamResponse<ChatCompletionChunk> stream = openAi.chat()
				.completions()
				.createStreaming(ChatCompletionCreateParams.builder().model("*").addUserMessage("hello").build())) {
				String text = stream.stream()
					.flatMap((chunk) -> chunk.choices().stream())
					.map((choice) -> choice.delta().content().orElse(""))
					.collect(Collectors.joining());
				assertThat(text).isEqualTo("Hello from fake");
			}
		}
		finally {
			openAi.close();
		}
	}

	@Test
	void aClientThatLeavesTheOtherHubCancelsTheLocalRequestWithinASecond() {
		AtomicBoolean cancelled = new AtomicBoolean();
		this.local.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.interval(Duration.ofMillis(20)).map((i) -> FakeLlm.chunk("t" + i))
					.doOnCancel(() -> cancelled.set(true))));
		startHubs();
		Joined joined = joinTunnel("cancel");
		openTunnel(joined, this.a, this.b);
		String first = stream(this.b, joined.code(), "nat-1").blockFirst(Duration.ofSeconds(10));
		assertThat(first).contains("\"content\":\"t");
		await().atMost(Duration.ofSeconds(1)).untilTrue(cancelled);
	}

	@Test
	void aTunnelThatDropsMidAnswerAbortsTheClientsResponseOnTheOtherHub() throws IOException {
		this.local.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.interval(Duration.ofMillis(20)).map((i) -> FakeLlm.chunk("t" + i))));
		startHubs();
		Joined joined = joinTunnel("dropped");
		try (TcpRelay toA = TcpRelay.to(this.a.port());
				EventRecorder events = EventRecorder.open(this.b.client(), "/rooms/" + joined.code() + "/events",
						null)) {
			openTunnel(joined, toA.port(), this.a, this.b);
			List<String> received = new CopyOnWriteArrayList<>();
			AtomicBoolean failed = new AtomicBoolean();
			AtomicBoolean completed = new AtomicBoolean();
			this.running.add(stream(this.b, joined.code(), "nat-1").subscribe(received::add, (ex) -> failed.set(true),
					() -> completed.set(true)));
			await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
			toA.cut();
			await().atMost(Duration.ofSeconds(10)).until(() -> failed.get() || completed.get());
			assertThat(String.join("", received)).contains("\"content\":\"t").doesNotContain("[DONE]");
			JsonNode error = events.awaitEvent("llm:error");
			assertThat(error.get("participantId").asString()).isEqualTo("nat-1");
			events.awaitEvent("participant:offline");
			assertThat(events.types().stream().filter("participant:offline"::equals)).hasSize(1);
		}
	}

	@Test
	void aTunnelThatMovesToTheOtherHubIsReachedThereAndTheOldHubsCloseKeepsTheNewRecord() {
		startHubs();
		Joined joined = joinTunnel("moves");
		try (EventRecorder events = EventRecorder.open(this.a.client(), "/rooms/" + joined.code() + "/events",
				null)) {
			Disposable onA = openTunnel(joined, this.a, this.b);
			assertThat(answer(this.b, joined.code(), "nat-1")).isEqualTo("Hello from fake");

			// The participant opens a new tunnel on hub B while the one on A is still open, then A's closes: B's
			// record stays, and the participant is not marked offline by the old tunnel.
			Disposable onB = openTunnel(joined, this.b, this.a);
			onA.dispose();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !this.a.bean(Tunnels.class).isConnected(joined.code(), joined.id()));
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(3))
				.until(() -> ownerSeenBy(this.a, joined) != null
						&& participant(this.a, joined).status() == ParticipantStatus.ONLINE);
			assertThat(events.types()).doesNotContain("participant:offline");
			this.local.reset();
			assertThat(answer(this.a, joined.code(), "nat-1")).isEqualTo("Hello from fake");
			assertThat(this.local.received()).hasSize(1);

			// Moved back the usual way (the tunnel on B drops, the client reconnects to A): B's requests go to A.
			onB.dispose();
			events.awaitEvent("participant:offline");
			await().atMost(Duration.ofSeconds(10)).until(() -> ownerSeenBy(this.a, joined) == null);
			openTunnel(joined, this.a, this.b);
			events.awaitEvent("participant:online");
			assertThat(answer(this.b, joined.code(), "nat-1")).isEqualTo("Hello from fake");
		}
	}

	@Test
	void theInternalRelayEndpointRefusesAWrongOrMissingSecretAndRelaysNothing() {
		startHubs();
		Joined joined = joinTunnel("secret");
		openTunnel(joined, this.a, this.b);
		String path = "/internal/tunnels/" + joined.code() + "/nat-1/v1/chat/completions?stream=false";
		this.a.client().post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(chat("llama3", false))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.a.client().post().uri(path).contentType(MediaType.APPLICATION_JSON)
			.header("X-Gambiarra-Hub-Secret", "guessed")
			.bodyValue(chat("llama3", false))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		// A client cannot get at it through a room route either; the participant saw nothing.
		assertThat(this.local.received()).isEmpty();
		// The club's own secret (both hubs read the same one from Redis) does get through.
		String secret = this.b.bean(TunnelOwners.class).secret();
		assertThat(secret).isEqualTo(this.a.bean(TunnelOwners.class).secret()).hasSizeGreaterThan(30);
		this.a.client().post().uri(path).contentType(MediaType.APPLICATION_JSON)
			.header("X-Gambiarra-Hub-Secret", secret)
			.bodyValue(chat("llama3", false))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Gambiarra-Tunnel-Answer", "true");
		assertThat(this.local.received()).hasSize(1);
	}

	@Test
	void anOwnerHubThatCannotBeReachedOrStopsFailsOverOr502sFast() throws IOException {
		int port;
		try (ServerSocket free = new ServerSocket(0)) {
			port = free.getLocalPort();
		}
		try (TcpRelay toA = TcpRelay.to(port)) {
			// Hub A is reached by the other hubs only through the relay, so cutting it makes A unreachable to them
			// while its tunnel stays open.
			startHubs("server.port=" + port, "gambiarra.store.redis.advertise-url=http://127.0.0.1:" + toA.port());
			Joined joined = joinTunnel("owner-down");
			this.a.api().join(joined.code(), "direct-1", "llama3", this.local.endpoint());
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.b.bean(RoomService.class).require(joined.code()).participant("direct-1") != null);
			openTunnel(joined, this.a, this.b);
			assertThat(ownerSeenBy(this.b, joined)).isEqualTo("http://127.0.0.1:" + toA.port());
			assertThat(answer(this.b, joined.code(), "nat-1")).isEqualTo("Hello from fake");

			toA.cut();
			long started = System.nanoTime();
			post(this.b, joined.code(), "nat-1").expectStatus()
				.isEqualTo(502)
				.expectBody()
				.jsonPath("$.error.message")
				.value((message) -> assertThat((String) message).startsWith("Failed to proxy request"));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
			// Pooled requests fail over to the direct participant whenever the tunnel participant is chosen.
			for (int i = 0; i < 4; i++) {
				assertThat(answer(this.b, joined.code(), "model:llama3")).isEqualTo("Hello from fake");
			}

			// Hub A stopped for good: fast answers still, never a hang.
			this.a.close();
			started = System.nanoTime();
			int status = post(this.b, joined.code(), "nat-1").returnResult(String.class).getStatus().value();
			assertThat(status).isIn(502, 503);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
			assertThat(answer(this.b, joined.code(), "model:llama3")).isEqualTo("Hello from fake");
		}
	}

}
