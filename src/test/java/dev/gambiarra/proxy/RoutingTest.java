package dev.gambiarra.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.resilience.CircuitState;
import dev.gambiarra.support.BusEvents;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.SteppedClock;
import dev.gambiarra.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing and reliability against fake participants that misbehave on purpose: least busy first, caps and a fair
 * queue, failover before the first byte only, circuit breakers, timeouts and cancellation. After every test nothing
 * is in flight and nothing is queued. Circuit cool-downs run on a {@link TestClock} the tests step.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.demo.enabled=false", "gambiarra.mdns.enabled=false",
				"gambiarra.console.enabled=false", "gambiarra.routing.queue-capacity=3",
				"gambiarra.routing.queue-timeout=1s", "gambiarra.routing.retry-after=2s",
				"gambiarra.routing.max-attempts=3", "gambiarra.routing.circuit-failure-threshold=2",
				"gambiarra.routing.circuit-cool-down=700ms", "gambiarra.proxy.connect-timeout=500ms",
				"gambiarra.proxy.first-byte-timeout=2500ms", "gambiarra.proxy.idle-timeout=600ms" })
@AutoConfigureWebTestClient(timeout = "30s")
@Import(SteppedClock.class)
class RoutingTest {

	static FakeLlm alpha;

	static FakeLlm beta;

	@Autowired
	WebTestClient client;

	@Autowired
	EventBus bus;

	@Autowired
	LoadBalancer balancer;

	@Autowired
	JsonMapper json;

	@Autowired
	TestClock clock;

	@LocalServerPort
	int port;

	HubClient hub;

	WebClient async;

	final List<Sinks.Empty<Void>> gates = new ArrayList<>();

	@BeforeAll
	static void startUpstreams() {
		alpha = FakeLlm.start();
		beta = FakeLlm.start();
	}

	@AfterAll
	static void stopUpstreams() {
		alpha.close();
		beta.close();
	}

	@BeforeEach
	void setUp() {
		this.hub = new HubClient(this.client);
		this.async = WebClient.create("http://127.0.0.1:" + this.port);
		alpha.reset();
		beta.reset();
	}

	@AfterEach
	void nothingLeaks() {
		this.gates.forEach(Sinks.Empty::tryEmitEmpty);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.balancer.inFlight() + this.balancer.queued()).isZero());
	}

	/** A behaviour that answers only once the returned gate opens. */
	private FakeLlm.Behaviour gated(Sinks.Empty<Void> gate) {
		this.gates.add(gate);
		return (request, response) -> gate.asMono()
			.then(Mono.from(FakeLlm.json(response, 200, FakeLlm.completion("after the gate"))));
	}

	private String room() {
		return this.hub.createRoom("routing").code();
	}

	private void join(String code, String id, String model, FakeLlm upstream, Map<String, Object> extra) {
		Map<String, Object> body = new HashMap<>(Map.of("id", id, "nickname", "nick-" + id, "model", model,
				"endpoint", upstream.endpoint()));
		body.putAll(extra);
		this.hub.join(code, body);
	}

	private WebTestClient.ResponseSpec chat(String code, String model) {
		return this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "hi"))))
			.exchange();
	}

	private Mono<ResponseEntity<String>> chatLater(String code, String model, String content) {
		return this.async.post()
			.uri("/rooms/{code}/v1/chat/completions", code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", content))))
			.exchangeToMono((response) -> response.toEntity(String.class));
	}

	private static int count(FakeLlm upstream) {
		return upstream.received().size();
	}

	@Test
	void theLeastBusyParticipantWinsAndTiesTakeTurns() throws Exception {
		String code = room();
		join(code, "a", "m", alpha, Map.of());
		join(code, "b", "m", beta, Map.of());
		for (int i = 0; i < 4; i++) {
			chat(code, "model:m").expectStatus().isOk().expectBody().returnResult();
		}
		assertThat(count(alpha)).as("ties take turns").isEqualTo(2);
		assertThat(count(beta)).isEqualTo(2);

		alpha.on("/v1/chat/completions", gated(Sinks.empty()));
		CompletableFuture<ResponseEntity<String>> held = chatLater(code, "a", "held").toFuture();
		await().until(() -> this.balancer.snapshot(code, "a").inFlight() == 1);
		for (int i = 0; i < 3; i++) {
			chat(code, "*").expectStatus().isOk().expectBody().returnResult();
		}
		assertThat(count(beta)).as("a is busier, so b serves everything").isEqualTo(5);
		assertThat(count(alpha)).isEqualTo(3);
		this.gates.forEach(Sinks.Empty::tryEmitEmpty);
		assertThat(held.get(10, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void atItsCapAParticipantIsBusyAndRequestsWaitInFairOrder() throws Exception {
		String code = room();
		join(code, "p", "m", alpha, Map.of("maxConcurrent", 1));
		Sinks.Empty<Void> gate = Sinks.empty();
		alpha.on("/v1/chat/completions", gated(gate));
		try (BusEvents events = BusEvents.of(this.bus, code)) {
			CompletableFuture<ResponseEntity<String>> first = chatLater(code, "model:m", "first").toFuture();
			assertThat(events.await("participant:busy").data()).isEqualTo(Map.of("participantId", "p"));
			this.client.get().uri("/rooms/{code}/participants", code).exchange().expectBody()
				.jsonPath("$.participants[0].status").isEqualTo("busy");
			CompletableFuture<ResponseEntity<String>> second = chatLater(code, "p", "second").toFuture();
			await().until(() -> this.balancer.queued(code) == 1);
			CompletableFuture<ResponseEntity<String>> third = chatLater(code, "*", "third").toFuture();
			await().until(() -> this.balancer.queued(code) == 2);
			assertThat(count(alpha)).as("the cap holds").isEqualTo(1);
			gate.tryEmitEmpty();
			for (CompletableFuture<ResponseEntity<String>> answer : List.of(first, second, third)) {
				assertThat(answer.get(10, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.OK);
			}
			assertThat(alpha.received()).extracting((received) -> received.body().contains("\"second\""))
				.containsExactly(false, true, false);
			assertThat(alpha.received().get(2).body()).contains("\"third\"");
			events.await("participant:online");
			// With a shared store each grant is a Redis round trip, so the participant may be online for a moment
			// between two waiters: the last state is what counts.
			await().untilAsserted(() -> this.client.get().uri("/rooms/{code}/participants", code).exchange()
				.expectBody()
				.jsonPath("$.participants[0].status").isEqualTo("online"));
		}
	}

	@Test
	void aFullQueueAndAQueueTimeoutAnswer503WithRetryAfter() throws Exception {
		String code = room();
		join(code, "p", "m", alpha, Map.of("maxConcurrent", 1));
		alpha.on("/v1/chat/completions", gated(Sinks.empty()));
		CompletableFuture<ResponseEntity<String>> held = chatLater(code, "p", "held").toFuture();
		await().until(() -> this.balancer.snapshot(code, "p").inFlight() == 1);
		List<CompletableFuture<ResponseEntity<String>>> waiting = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			waiting.add(chatLater(code, "p", "wait" + i).toFuture());
			int expected = i + 1;
			await().until(() -> this.balancer.queued(code) == expected);
		}
		chat(code, "p").expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader().valueEquals("Retry-After", "2")
			.expectBody().jsonPath("$.error.message").isEqualTo("Too many requests waiting for this room, try again later")
			.jsonPath("$.error.type").isEqualTo("api_error");
		for (CompletableFuture<ResponseEntity<String>> answer : waiting) {
			ResponseEntity<String> timedOut = answer.get(10, TimeUnit.SECONDS);
			assertThat(timedOut.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(timedOut.getHeaders().getFirst("Retry-After")).isEqualTo("2");
			assertThat(timedOut.getBody()).contains("All matching participants are busy");
		}
		assertThat(this.balancer.queued(code)).isZero();
		assertThat(count(alpha)).isEqualTo(1);
		this.gates.forEach(Sinks.Empty::tryEmitEmpty);
		assertThat(held.get(10, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void largeBodiesBeyondTheBodyMemoryAnswer503WhileOthersAreServed() throws Exception {
		String code = room();
		join(code, "p", "m", alpha, Map.of("maxConcurrent", 10));
		alpha.on("/v1/chat/completions", gated(Sinks.empty()));
		String large = "x".repeat(9 * 1024 * 1024);
		CompletableFuture<ResponseEntity<String>> held = chatLater(code, "p", large).toFuture();
		await().until(() -> this.balancer.snapshot(code, "p").inFlight() == 1);
		ResponseEntity<String> refused = chatLater(code, "p", large).block(Duration.ofSeconds(20));
		assertThat(refused.getStatusCode()).as("2 x 9 MiB held + 2 x 9 MiB more > 32MB").isEqualTo(
				HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(refused.getBody()).contains("\"code\":\"hub_busy\"");
		CompletableFuture<ResponseEntity<String>> small = chatLater(code, "p", "small").toFuture();
		await().until(() -> this.balancer.snapshot(code, "p").inFlight() == 2);
		this.gates.forEach(Sinks.Empty::tryEmitEmpty);
		assertThat(held.get(20, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(small.get(10, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(chatLater(code, "p", large).block(Duration.ofSeconds(20)).getStatusCode())
			.as("the memory of finished requests is given back")
			.isEqualTo(HttpStatus.OK);
	}

	@Test
	void aQueuedRequestWhoseClientLeavesLeavesTheQueue() throws Exception {
		String code = room();
		join(code, "p", "m", alpha, Map.of("maxConcurrent", 1));
		Sinks.Empty<Void> gate = Sinks.empty();
		alpha.on("/v1/chat/completions", gated(gate));
		CompletableFuture<ResponseEntity<String>> held = chatLater(code, "p", "held").toFuture();
		await().until(() -> this.balancer.snapshot(code, "p").inFlight() == 1);
		Disposable impatient = chatLater(code, "p", "impatient").subscribe();
		await().until(() -> this.balancer.queued(code) == 1);
		impatient.dispose();
		await().atMost(Duration.ofSeconds(1)).until(() -> this.balancer.queued(code) == 0);
		gate.tryEmitEmpty();
		assertThat(held.get(10, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.OK);
		await().until(() -> this.balancer.snapshot(code, "p").inFlight() == 0);
		assertThat(count(alpha)).as("the impatient request never reached the participant").isEqualTo(1);
	}

	@Test
	void aParticipantWhoJoinsTakesRequestsThatWereWaiting() throws Exception {
		String code = room();
		join(code, "p", "m", alpha, Map.of("maxConcurrent", 1));
		alpha.on("/v1/chat/completions", gated(Sinks.empty()));
		CompletableFuture<ResponseEntity<String>> held = chatLater(code, "model:m", "held").toFuture();
		await().until(() -> this.balancer.snapshot(code, "p").inFlight() == 1);
		CompletableFuture<ResponseEntity<String>> waiting = chatLater(code, "model:m", "waiting").toFuture();
		await().until(() -> this.balancer.queued(code) == 1);
		join(code, "q", "m", beta, Map.of());
		assertThat(waiting.get(10, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(beta.lastReceived().body()).contains("\"waiting\"");
		this.gates.forEach(Sinks.Empty::tryEmitEmpty);
		assertThat(held.get(10, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void a5xxBeforeTheFirstByteFailsOverOnPooledRoutes() {
		String code = room();
		join(code, "a", "m", alpha, Map.of());
		join(code, "b", "m", beta, Map.of());
		alpha.on("/v1/chat/completions", (request, response) -> FakeLlm.json(response, 500, "{\"error\":\"a down\"}"));
		try (BusEvents events = BusEvents.of(this.bus, code)) {
			for (int i = 0; i < 4; i++) {
				chat(code, (i % 2 == 0) ? "*" : "model:m").expectStatus().isOk()
					.expectBody().jsonPath("$.choices[0].message.content").isEqualTo("Hello from fake");
			}
			assertThat(count(alpha)).as("a was tried and failed over").isPositive();
			assertThat(count(beta)).isEqualTo(4);
			assertThat(events.await("llm:error").data()).asString().contains("participantId=a");
		}
	}

	@Test
	void aBareModelNameFailsOverLikeModelPrefixOnRefusedConnectionsAnd5xx() {
		String code = room();
		String closed = "http://127.0.0.1:" + freePort();
		this.hub.join(code, Map.of("id", "gone", "nickname", "n", "model", "m", "endpoint", closed));
		join(code, "b", "m", beta, Map.of());
		for (int i = 0; i < 4; i++) {
			chat(code, "m").expectStatus().isOk()
				.expectBody().jsonPath("$.choices[0].message.content").isEqualTo("Hello from fake");
		}
		assertThat(count(beta)).as("every request ends on b, wherever it started").isEqualTo(4);

		String other = room();
		join(other, "a", "m", alpha, Map.of());
		join(other, "b", "m", beta, Map.of());
		alpha.on("/v1/chat/completions", (request, response) -> FakeLlm.json(response, 500, "{\"error\":\"a down\"}"));
		for (int i = 0; i < 4; i++) {
			chat(other, "m").expectStatus().isOk().expectBody().returnResult();
		}
		assertThat(count(alpha)).as("a was tried and failed over").isPositive();
		assertThat(count(beta)).isEqualTo(8);
	}

	@Test
	void anExplicitParticipantIsNeverFailedOverAndItsErrorPassesThrough() {
		String code = room();
		join(code, "a", "m", alpha, Map.of());
		join(code, "b", "m", beta, Map.of());
		alpha.on("/v1/chat/completions", (request, response) -> FakeLlm.json(response, 503, "{\"error\":\"a down\"}"));
		chat(code, "a").expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody(String.class).isEqualTo("{\"error\":\"a down\"}");
		assertThat(count(beta)).isZero();
	}

	@Test
	void aRefusedConnectionFailsOverAndWithoutAlternativeIs502() {
		String code = room();
		String closed = "http://127.0.0.1:" + freePort();
		this.hub.join(code, Map.of("id", "gone", "nickname", "n", "model", "m", "endpoint", closed));
		chat(code, "gone").expectStatus().isEqualTo(HttpStatus.BAD_GATEWAY)
			.expectBody().jsonPath("$.error.message").isEqualTo("Failed to proxy request: connection refused");
		join(code, "b", "m", beta, Map.of());
		for (int i = 0; i < 3; i++) {
			chat(code, "model:m").expectStatus().isOk().expectBody().returnResult();
		}
		assertThat(count(beta)).isEqualTo(3);
	}

	@Test
	void noFailoverOnceBytesReachedTheClient() {
		String code = room();
		join(code, "a", "m", alpha, Map.of());
		join(code, "b", "m", beta, Map.of());
		beta.on("/v1/chat/completions", gated(Sinks.empty()));
		CompletableFuture<ResponseEntity<String>> held = chatLater(code, "b", "held").toFuture();
		await().until(() -> this.balancer.snapshot(code, "b").inFlight() == 1);
		alpha.on("/v1/chat/completions", (request, response) -> response.status(200)
			.header("Content-Type", "text/event-stream")
			.sendString(Flux.just("data: " + FakeLlm.chunk("partial") + "\n\n")
				.concatWith(Mono.delay(Duration.ofMillis(200))
					.then(Mono.fromRunnable(() -> response.withConnection((connection) -> connection.dispose())))
					.then(Mono.empty()))));
		try (BusEvents events = BusEvents.of(this.bus, code)) {
			Flux<String> body = this.client.post()
				.uri("/rooms/{code}/v1/chat/completions", code)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("model", "model:m", "stream", true, "messages", List.of()))
				.exchange()
				.expectStatus().isOk()
				.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
				.returnResult(String.class)
				.getResponseBody();
			StepVerifier.create(body)
				.expectNextMatches((line) -> line.contains("partial"))
				.expectError()
				.verify(Duration.ofSeconds(10));
			events.await("llm:error");
		}
		assertThat(count(beta)).as("nothing re-sent after the first byte").isEqualTo(1);
		this.gates.forEach(Sinks.Empty::tryEmitEmpty);
		assertThat(held.join().getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void repeatedFailuresOpenTheCircuitAndATrialAfterTheCoolDownClosesIt() {
		String code = room();
		join(code, "a", "m", alpha, Map.of());
		join(code, "b", "m", beta, Map.of());
		alpha.on("/v1/chat/completions", (request, response) -> FakeLlm.json(response, 500, "{\"error\":\"a down\"}"));
		try (BusEvents events = BusEvents.of(this.bus, code)) {
			chat(code, "a").expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR).expectBody().returnResult();
			assertThat(events.ofType("participant:circuit-open")).isEmpty();
			chat(code, "a").expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR).expectBody().returnResult();
			HubEvent open = events.await("participant:circuit-open");
			assertThat(open.data()).asString().contains("participantId=a", "failures=2");
			assertThat(this.balancer.snapshot(code, "a").circuit()).isEqualTo(CircuitState.OPEN);
			this.client.get().uri("/rooms/{code}/participants/a/load", code).exchange().expectStatus().isOk()
				.expectBody().jsonPath("$.circuit").isEqualTo("open").jsonPath("$.consecutiveFailures").isEqualTo(2);

			chat(code, "a").expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectHeader().exists("Retry-After");
			for (int i = 0; i < 3; i++) {
				chat(code, "model:m").expectStatus().isOk().expectBody().returnResult();
			}
			assertThat(count(alpha)).as("out of rotation while open").isEqualTo(2);

			alpha.reset();
			this.clock.advance(Duration.ofMillis(699));
			assertThat(this.balancer.snapshot(code, "a").retryInMillis()).isEqualTo(1);
			this.clock.advance(Duration.ofMillis(1));
			assertThat(this.balancer.snapshot(code, "a").retryInMillis()).isZero();
			chat(code, "a").expectStatus().isOk().expectBody().returnResult();
			events.await("participant:circuit-closed");
			assertThat(this.balancer.snapshot(code, "a").circuit()).isEqualTo(CircuitState.CLOSED);
		}
	}

	@Test
	void aFailedTrialOpensTheCircuitAgain() {
		String code = room();
		join(code, "a", "m", alpha, Map.of());
		alpha.on("/v1/chat/completions", (request, response) -> FakeLlm.json(response, 500, "{}"));
		chat(code, "a").expectStatus().is5xxServerError().expectBody().returnResult();
		chat(code, "a").expectStatus().is5xxServerError().expectBody().returnResult();
		// The verdict is recorded when the hub releases the lease, which may come just after the client read the 500.
		await().until(() -> this.balancer.snapshot(code, "a").inFlight() == 0);
		this.clock.advance(Duration.ofMillis(700));
		assertThat(this.balancer.snapshot(code, "a").retryInMillis()).isZero();
		chat(code, "a").expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR).expectBody().returnResult();
		await().until(() -> this.balancer.snapshot(code, "a").inFlight() == 0);
		ParticipantLoad load = this.balancer.snapshot(code, "a");
		assertThat(load.circuit()).isEqualTo(CircuitState.OPEN);
		assertThat(load.retryInMillis()).isPositive();
	}

	@Test
	void aSilentParticipantTimesOutBeforeTheFirstByteWith504() {
		String code = room();
		join(code, "a", "m", alpha, Map.of());
		alpha.on("/v1/chat/completions", (request, response) -> Mono.never());
		try (BusEvents events = BusEvents.of(this.bus, code)) {
			chat(code, "a").expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT)
				.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
				.expectBody().jsonPath("$.error.type").isEqualTo("timeout_error");
			events.await("llm:error");
		}
	}

	@Test
	void aStallMidStreamAbortsTheResponseAndReportsLlmError() {
		String code = room();
		join(code, "a", "m", alpha, Map.of());
		alpha.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.just(FakeLlm.chunk("one")).concatWith(Flux.never())));
		try (BusEvents events = BusEvents.of(this.bus, code)) {
			Flux<String> body = this.client.post()
				.uri("/rooms/{code}/v1/chat/completions", code)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("model", "a", "stream", true, "messages", List.of()))
				.exchange()
				.expectStatus().isOk()
				.returnResult(String.class)
				.getResponseBody();
			StepVerifier.create(body)
				.expectNextMatches((line) -> line.contains("one"))
				.expectError()
				.verify(Duration.ofSeconds(10));
			assertThat(events.await("llm:error").data()).asString()
				.contains("no data from participant within the timeout");
		}
	}

	@Test
	void anUnansweredConnectTimesOutAs502() throws Exception {
		try (ServerSocket deaf = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			List<Socket> filling = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				Socket socket = new Socket();
				try {
					socket.connect(new InetSocketAddress(deaf.getInetAddress(), deaf.getLocalPort()), 200);
				}
				catch (IOException ex) {
					// the accept queue is full: exactly what this test needs
				}
				filling.add(socket);
			}
			String code = room();
			this.hub.join(code, Map.of("id", "deaf", "nickname", "n", "model", "m", "endpoint",
					"http://127.0.0.1:" + deaf.getLocalPort()));
			long start = System.nanoTime();
			chat(code, "deaf").expectStatus().isEqualTo(HttpStatus.BAD_GATEWAY)
				.expectBody().jsonPath("$.error.message").isEqualTo("Failed to proxy request: connection timed out");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			for (Socket socket : filling) {
				socket.close();
			}
		}
	}

	@Test
	void aClientThatDisconnectsMidStreamCancelsTheUpstreamWithinASecond() throws Exception {
		String code = room();
		join(code, "a", "m", alpha, Map.of());
		CountDownLatch upstreamClosed = new CountDownLatch(1);
		alpha.on("/v1/chat/completions", (request, response) -> {
			response.withConnection((connection) -> connection.onDispose(upstreamClosed::countDown));
			return FakeLlm.sse(response, Flux.interval(Duration.ofMillis(50)).map((tick) -> FakeLlm.chunk("t" + tick))
				.doOnCancel(upstreamClosed::countDown));
		});
		String first = HttpClient.create()
			.post()
			.uri("http://127.0.0.1:" + this.port + "/rooms/" + code + "/v1/chat/completions")
			.send(reactor.netty.ByteBufFlux.fromString(
					Mono.just("{\"model\":\"a\",\"stream\":true,\"messages\":[]}"), StandardCharsets.UTF_8,
					io.netty.buffer.ByteBufAllocator.DEFAULT))
			.responseContent()
			.asString()
			.take(1)
			.blockLast(Duration.ofSeconds(10));
		assertThat(first).contains("data:");
		long gone = System.nanoTime();
		assertThat(upstreamClosed.await(1, TimeUnit.SECONDS)).as("upstream saw the cancellation").isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - gone)).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void theParticipantsStoredConfigFillsInWhatTheRequestLeavesOut() {
		String code = room();
		join(code, "a", "real-model", alpha,
				Map.of("config", Map.of("temperature", 0.2, "max_tokens", 50, "seed", 7)));
		this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", code)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "model:real-model", "temperature", 0.9, "messages", List.of()))
			.exchange()
			.expectStatus().isOk().expectBody().returnResult();
		JsonNode sent = this.json.readTree(alpha.lastReceived().body());
		assertThat(sent.get("model").asString()).isEqualTo("real-model");
		assertThat(sent.get("temperature").asDouble()).as("request values win").isEqualTo(0.9);
		assertThat(sent.get("max_tokens").asInt()).isEqualTo(50);
		assertThat(sent.get("seed").asInt()).isEqualTo(7);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
