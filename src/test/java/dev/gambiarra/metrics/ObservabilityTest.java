package dev.gambiarra.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.support.EventRecorder;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient.CreatedRoom;
import dev.gambiarra.support.ObservedHubTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest extends ObservedHubTest {

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private EventBus events;

	@Autowired
	private ProxyMetrics proxyMetrics;

	@Autowired
	private RoomService rooms;

	private static final Map<String, Object> HELLO = Map.of("role", "user", "content", "hi");

	private void chat(String code, String model, boolean stream, HttpStatus expected) {
		this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", model, "stream", stream, "messages", List.of(HELLO)))
			.exchange()
			.expectStatus()
			.isEqualTo(expected)
			.expectBody()
			.returnResult();
	}

	private Search meters(String name, String room, String participant) {
		return this.registry.find(name).tag("room", room).tag("participant", participant);
	}

	private double requests(String room, String participant, Outcome outcome) {
		Counter counter = meters(ParticipantMeters.REQUESTS, room, participant).tag("outcome", outcome.tag()).counter();
		return (counter != null) ? counter.count() : -1;
	}

	private double inFlight(String room, String participant) {
		Gauge gauge = meters(ParticipantMeters.IN_FLIGHT, room, participant).gauge();
		return (gauge != null) ? gauge.value() : -1;
	}

	@Test
	void aClientThatLeavesWithTheWholeDeclaredBodyWasServedAndOneThatLeavesEarlierCancelled() {
		CreatedRoom room = this.hub.createRoom("declared");
		this.hub.join(room.code(), "sized", "llama", llm.endpoint());
		Room joined = this.rooms.require(room.code());
		// The client may close as soon as it has every byte of the declared length, before the relay sees the
		// upstream's end of the answer: that request succeeded (or failed upstream), it was not cancelled.
		RelayTrace whole = this.proxyMetrics.begin(joined, joined.participant("sized"), "chat/completions", false, "r1");
		whole.response(503, 10);
		whole.chunk(Unpooled.wrappedBuffer("{\"error\":1".getBytes(StandardCharsets.UTF_8)));
		whole.cancelled();
		RelayTrace half = this.proxyMetrics.begin(joined, joined.participant("sized"), "chat/completions", false, "r2");
		half.response(200, 10);
		half.chunk(Unpooled.wrappedBuffer("{\"a\"".getBytes(StandardCharsets.UTF_8)));
		half.cancelled();
		// The server completes a response once its declared length is written, possibly before the upstream's end.
		RelayTrace written = this.proxyMetrics.begin(joined, joined.participant("sized"), "chat/completions", false,
				"r3");
		written.response(200, 4);
		written.chunk(Unpooled.wrappedBuffer("{  }".getBytes(StandardCharsets.UTF_8)));
		written.complete();
		assertThat(requests(room.code(), "sized", Outcome.UPSTREAM_ERROR)).isEqualTo(1);
		assertThat(requests(room.code(), "sized", Outcome.CANCELLED)).isEqualTo(1);
		assertThat(requests(room.code(), "sized", Outcome.SUCCESS)).isEqualTo(1);
	}

	@Test
	void metersMoveWithEveryRequestAndOutcome() {
		CreatedRoom room = this.hub.createRoom("meters");
		this.hub.join(room.code(), "gpu-box", "llama", llm.endpoint());
		this.hub.join(room.code(), "gone-box", "llama", "http://127.0.0.1:9");
		chat(room.code(), "gpu-box", false, HttpStatus.OK);
		chat(room.code(), "gpu-box", true, HttpStatus.OK);
		await().atMost(Duration.ofSeconds(5)).until(() -> requests(room.code(), "gpu-box", Outcome.SUCCESS) == 2);
		assertThat(meters(ParticipantMeters.FIRST_TOKEN, room.code(), "gpu-box").tag("model", "llama").timer().count())
			.isEqualTo(2);
		assertThat(meters(ParticipantMeters.DURATION, room.code(), "gpu-box").timer().count()).isEqualTo(2);
		assertThat(meters(ParticipantMeters.TOKENS, room.code(), "gpu-box").counter().count())
			.as("4 from the JSON answer's usage, 3 counted chunks of the stream")
			.isEqualTo(7);
		assertThat(meters(ParticipantMeters.TOKENS_PER_SECOND, room.code(), "gpu-box").summary().count())
			.isEqualTo(2);

		llm.on("/v1/chat/completions", (request, response) -> FakeLlm.json(response, 503, "{\"error\":\"busy\"}"));
		chat(room.code(), "gpu-box", false, HttpStatus.SERVICE_UNAVAILABLE);
		chat(room.code(), "gone-box", false, HttpStatus.BAD_GATEWAY);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> requests(room.code(), "gpu-box", Outcome.UPSTREAM_ERROR) == 1
					&& requests(room.code(), "gone-box", Outcome.FAILED) == 1);
		assertThat(requests(room.code(), "gpu-box", Outcome.SUCCESS)).isEqualTo(2);
		assertThat(this.registry.get("gambiarra.participants").tag("status", "online").gauge().value())
			.isGreaterThanOrEqualTo(2);
		assertThat(this.registry.get("gambiarra.rooms.active").gauge().value()).isGreaterThanOrEqualTo(1);
		assertThat(this.registry.get("gambiarra.proxy.queue.depth").gauge().value()).isZero();
	}

	@Test
	void sseSubscribersAndInFlightGaugesFollowTheHub() {
		CreatedRoom room = this.hub.createRoom("gauges");
		this.hub.join(room.code(), "slowpoke", "llama", llm.endpoint());
		double before = this.registry.get("gambiarra.sse.subscribers").gauge().value();
		try (EventRecorder recorder = EventRecorder.open(this.client, "/rooms/" + room.code() + "/events", null)) {
			assertThat(this.registry.get("gambiarra.sse.subscribers").gauge().value()).isEqualTo(before + 1);
			Sinks.Empty<Void> release = Sinks.empty();
			llm.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
					Flux.concat(Flux.just(FakeLlm.chunk("wait")), release.asMono().thenMany(Flux.just("[DONE]")))));
			Disposable pending = WebClient.create("http://127.0.0.1:" + this.port)
				.post()
				.uri("/rooms/{code}/v1/chat/completions", room.code())
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("model", "slowpoke", "stream", true, "messages", List.of(HELLO)))
				.retrieve()
				.bodyToFlux(String.class)
				.subscribe();
			try {
				await().atMost(Duration.ofSeconds(5))
					.until(() -> inFlight(room.code(), "slowpoke") == 1);
				assertThat(this.registry.get("gambiarra.proxy.inflight.all").gauge().value()).isGreaterThanOrEqualTo(1);
				release.tryEmitEmpty();
				await().atMost(Duration.ofSeconds(5))
					.until(() -> inFlight(room.code(), "slowpoke") == 0);
			}
			finally {
				pending.dispose();
			}
			recorder.awaitEvent("llm:complete");
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.get("gambiarra.sse.subscribers").gauge().value() == before);
	}

	@Test
	void aClientThatGoesAwayCountsAsCancelledAndFreesItsInFlightSlot() {
		CreatedRoom room = this.hub.createRoom("cancelled");
		this.hub.join(room.code(), "endless", "llama", llm.endpoint());
		llm.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.interval(Duration.ofMillis(20)).map((tick) -> FakeLlm.chunk("t" + tick))));
		String first = WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/rooms/{code}/v1/chat/completions", room.code())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "endless", "stream", true, "messages", List.of(HELLO)))
			.retrieve()
			.bodyToFlux(String.class)
			.blockFirst(Duration.ofSeconds(10));
		assertThat(first).contains("t0");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> requests(room.code(), "endless", Outcome.CANCELLED) == 1);
		assertThat(inFlight(room.code(), "endless")).isZero();
		assertThat(requests(room.code(), "endless", Outcome.SUCCESS)).isZero();
	}

	@Test
	void anUpstreamThatDropsMidStreamCountsAsFailed() {
		CreatedRoom room = this.hub.createRoom("dropped");
		this.hub.join(room.code(), "flaky", "llama", llm.endpoint());
		llm.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.concat(Flux.just(FakeLlm.chunk("partial")), Flux.error(new IllegalStateException("gone")))));
		this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", room.code())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "flaky", "stream", true, "messages", List.of(HELLO)))
			.exchange()
			.returnResult(String.class)
			.getResponseBody()
			.onErrorComplete()
			.blockLast(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> requests(room.code(), "flaky", Outcome.FAILED) == 1);
		assertThat(inFlight(room.code(), "flaky")).isZero();
	}

	@Test
	void meterTagsOfAParticipantDisappearWhenItLeavesOrItsRoomCloses() {
		CreatedRoom room = this.hub.createRoom("cardinality");
		this.hub.join(room.code(), "transient", "llama", llm.endpoint());
		this.hub.join(room.code(), "stayer", "llama", llm.endpoint());
		chat(room.code(), "transient", false, HttpStatus.OK);
		chat(room.code(), "stayer", false, HttpStatus.OK);
		await().atMost(Duration.ofSeconds(5)).until(() -> requests(room.code(), "stayer", Outcome.SUCCESS) == 1);
		this.client.delete().uri("/rooms/{code}/leave/transient", room.code()).exchange().expectStatus().isOk();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.find(ParticipantMeters.REQUESTS).tag("participant", "transient").meters()
				.isEmpty());
		assertThat(meters(ParticipantMeters.DURATION, room.code(), "transient").meters()).isEmpty();
		assertThat(requests(room.code(), "stayer", Outcome.SUCCESS)).isEqualTo(1);

		this.client.delete()
			.uri("/rooms/{code}", room.code())
			.headers((headers) -> headers.setBearerAuth(room.hostId()))
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.find(ParticipantMeters.REQUESTS).tag("room", room.code()).meters().isEmpty());
		assertThat(this.registry.find(ParticipantMeters.IN_FLIGHT).tag("room", room.code()).meters()).isEmpty();
	}

	@Test
	void prometheusNeedsTheAdminTokenWhileHealthProbesStayOpen() {
		this.client.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
		this.client.get().uri("/actuator/prometheus;jsessionid=x").exchange().expectStatus().isUnauthorized();
		this.client.get().uri("/actuator").exchange().expectStatus().isUnauthorized();
		this.client.get()
			.uri("/actuator/prometheus")
			.headers((headers) -> headers.setBearerAuth("not-the-token"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		CreatedRoom room = this.hub.createRoom("scrape");
		this.hub.join(room.code(), "scraped", "llama", llm.endpoint());
		chat(room.code(), "scraped", false, HttpStatus.OK);
		await().atMost(Duration.ofSeconds(5)).until(() -> requests(room.code(), "scraped", Outcome.SUCCESS) == 1);
		String scrape = this.client.get()
			.uri("/actuator/prometheus")
			.headers((headers) -> headers.setBearerAuth(ADMIN_TOKEN))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(scrape).contains("gambiarra_proxy_requests_total{model=\"llama\",outcome=\"success\",participant=\"scraped\",room=\""
				+ room.code() + "\"} 1.0")
			.contains("gambiarra_proxy_first_token_seconds_bucket{")
			.contains("gambiarra_proxy_tokens_per_second_tokens_count{")
			.contains("gambiarra_sse_subscribers ")
			.contains("gambiarra_proxy_queue_depth ")
			.contains("gambiarra_proxy_inflight_all ")
			.contains("gambiarra_participants{status=\"online\"}");
		assertThat(scrape).as("Boot's server meter for every route but the relay, which gambiarra_proxy_* measures")
			.contains("http_server_requests_seconds_count{")
			.contains("uri=\"/rooms/{code}/join\"")
			.doesNotContain("/v1/chat/completions");

		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP");
		this.client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
	}

	@Test
	void statsSnapshotShowsEveryParticipantBehindTheRoomPassword() {
		CreatedRoom room = this.hub.createRoom(Map.of("name", "stats", "password", "stats-pw"));
		this.hub.join(room.code(), Map.of("id", "busy-one", "nickname", "Busy", "model", "llama", "endpoint",
				llm.endpoint(), "password", "stats-pw"));
		this.hub.join(room.code(), Map.of("id", "idle-one", "nickname", "Idle", "model", "qwen", "endpoint",
				llm.endpoint(), "password", "stats-pw"));
		this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", room.code())
			.headers((headers) -> headers.setBearerAuth("stats-pw"))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "busy-one", "stream", true, "messages", List.of(HELLO)))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult();

		this.client.get().uri("/rooms/{code}/stats", room.code()).exchange().expectStatus().isUnauthorized()
			.expectBody().jsonPath("$.error").isEqualTo("Invalid password");
		this.client.get().uri("/rooms/NOROOM/stats").exchange().expectStatus().isNotFound();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			JsonNode stats = this.client.get()
				.uri("/rooms/{code}/stats", room.code().toLowerCase())
				.header("X-Room-Password", "stats-pw")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody();
			assertThat(stats.path("room").asString()).isEqualTo(room.code());
			JsonNode participants = stats.path("participants");
			assertThat(participants).hasSize(2);
			JsonNode busy = participants.get(0);
			assertThat(busy.path("participantId").asString()).isEqualTo("busy-one");
			assertThat(busy.path("nickname").asString()).isEqualTo("Busy");
			assertThat(busy.path("status").asString()).isEqualTo("online");
			assertThat(busy.path("inFlight").asInt()).isZero();
			assertThat(busy.path("completed").asLong()).isEqualTo(1);
			assertThat(busy.path("errors").asLong()).isZero();
			assertThat(busy.path("tokens").asLong()).isEqualTo(3);
			assertThat(busy.path("avgLatencyFirstTokenMs").isNumber()).isTrue();
			assertThat(busy.path("avgTokensPerSecond").asDouble()).isPositive();
			JsonNode idle = participants.get(1);
			assertThat(idle.path("participantId").asString()).isEqualTo("idle-one");
			assertThat(idle.path("model").asString()).isEqualTo("qwen");
			assertThat(idle.path("completed").asLong()).isZero();
			assertThat(idle.path("avgLatencyFirstTokenMs").isNull()).isTrue();
		});
	}

	@Test
	void logsOneLinePerProxiedRequestAndNeverASecret(CapturedOutput output) {
		String password = "room-pw-s3cret-XYZ";
		String apiKey = "sk-participant-secret-ABC";
		CreatedRoom room = this.hub.createRoom(Map.of("name", "logged", "password", password));
		this.hub.join(room.code(), Map.of("id", "logged-box", "nickname", "Logged", "model", "llama", "endpoint",
				llm.endpoint(), "password", password, "apiKey", apiKey));
		this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", room.code())
			.headers((headers) -> headers.setBearerAuth(password))
			.header("X-Request-Id", "req-log-1")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "logged-box", "messages", List.of(HELLO)))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult();
		assertThat(llm.lastReceived().headers().get("Authorization")).isEqualTo("Bearer " + apiKey);
		await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().contains("req-log-1 room="));
		String line = output.getOut().lines().filter((l) -> l.contains("req-log-1 room=")).findFirst().orElseThrow();
		assertThat(line).contains("room=" + room.code(), "participant=logged-box", "model=llama", "status=200",
				"outcome=success", "ttftMs=", "durationMs=", "tokens=4");
		assertThat(output.getOut().lines().filter((l) -> l.contains("req-log-1"))).hasSize(1);
		assertThat(output.getAll()).doesNotContain(password).doesNotContain(apiKey);
	}

}
