package dev.gambiarra.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import dev.gambiarra.store.RedisStore;
import dev.gambiarra.support.EventRecorder;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.Hub;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code maxConcurrent} and least-busy routing count the requests of every hub on the Redis store, and a hub that
 * dies with requests in flight stops counting once its lease runs out.
 */
class SharedCapsTest {

	private final FakeLlm upstream = FakeLlm.start();

	/** Holds every streamed answer after its first chunk until a test opens it. */
	private final Sinks.Empty<Void> gate = Sinks.empty();

	private final String prefix = "caps-" + UUID.randomUUID() + ":";

	private Hub a;

	private Hub b;

	@AfterEach
	void stop() {
		this.gate.tryEmitEmpty();
		for (Hub hub : new Hub[] { this.b, this.a }) {
			if (hub != null) {
				hub.close();
			}
		}
		this.upstream.close();
	}

	@Test
	void aParticipantWithMaxConcurrentOneServesOneRequestAtATimeAcrossHubs() {
		String code = twoHubsAndOneParticipant();
		Mono<Integer> first = stream(this.a, code);
		first.subscribe();
		awaitElsewhere(this.b, code, 1);

		Integer[] second = new Integer[1];
		stream(this.b, code).subscribe((status) -> second[0] = status);
		// Hub B knows hub A's request holds the only slot: its request waits instead of reaching the participant.
		await().during(Duration.ofMillis(700))
			.atMost(Duration.ofSeconds(3))
			.until(() -> this.upstream.received().size() == 1);
		assertThat(second[0]).isNull();

		this.gate.tryEmitEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> second[0] != null);
		assertThat(second[0]).isEqualTo(200);
		assertThat(this.upstream.received()).hasSize(2);
	}

	@Test
	void manyClientsOnBothHubsNeverPutMoreThanOneRequestAtATimeOnAParticipantWithMaxConcurrentOne() {
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger mostInFlight = new AtomicInteger();
		Queue<Sinks.Empty<Void>> held = new ConcurrentLinkedQueue<>();
		// The last of 40 requests waits for the 39 before it, one at a time: ample time on a loaded machine.
		String code = twoHubsAndOneParticipant("120s");
		// Counted where it matters, in the participant: each request holds its slot until the test lets it finish.
		this.upstream.on("/v1/chat/completions", (request, response) -> {
			mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
			Sinks.Empty<Void> release = Sinks.empty();
			held.add(release);
			return Flux.from(FakeLlm.sse(response, Flux.concat(Flux.just(FakeLlm.chunk("first")),
					release.asMono().thenMany(Flux.just(FakeLlm.chunk(" rest"), "[DONE]")))))
				.doFinally((signal) -> inFlight.decrementAndGet());
		});
		int perHub = 20;
		List<Integer> statuses = new CopyOnWriteArrayList<>();
		// Every client at once, on both hubs: each slot freed is wanted by waiters on both sides.
		for (int i = 0; i < perHub; i++) {
			stream(this.a, code).subscribe(statuses::add);
			stream(this.b, code).subscribe(statuses::add);
		}
		for (int served = 0; served < 2 * perHub; served++) {
			await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty());
			held.poll().tryEmitEmpty();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> statuses.size() == 2 * perHub);
		assertThat(statuses).containsOnly(200);
		assertThat(this.upstream.received()).hasSize(2 * perHub);
		assertThat(mostInFlight.get()).as("requests in flight at once on the participant").isEqualTo(1);
	}

	@Test
	void aHubThatDiesMidStreamStopsCountingWhenItsLeaseRunsOutAndTheOtherHubServes() {
		String code = twoHubsAndOneParticipant();
		stream(this.a, code).onErrorResume((ex) -> Mono.empty()).subscribe();
		awaitElsewhere(this.b, code, 1);

		// Hub A is cut off from Redis mid-stream, as if it crashed: it can no longer tell anyone its request ended.
		// (Its context is closed after the test: a graceful close takes longer than the 1 s lease.)
		this.a.bean(RedisStore.class).close();
		this.gate.tryEmitEmpty();

		Integer[] status = new Integer[1];
		stream(this.b, code).subscribe((answered) -> status[0] = answered);
		try (RedisClient client = RedisClient.create(RedisServer.shared().url());
				StatefulRedisConnection<String, String> redis = client.connect()) {
			String slots = this.prefix + "slots:" + code + ":solo";
			// The dead hub's last count and its lease still hold the slot (renewed at most a third of the lease
			// ago)...
			await().during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(2))
				.until(() -> this.upstream.received().size() == 1 && redis.sync().zcard(slots) == 1);
			// ...until its lease runs out: then hub B takes the slot and serves the waiting request.
			await().atMost(Duration.ofSeconds(20)).until(() -> status[0] != null);
			assertThat(status[0]).isEqualTo(200);
			assertThat(this.upstream.received()).hasSize(2);
			assertThat(this.b.bean(SharedLoad.class).elsewhere(code, "solo")).isZero();
			// Nothing is left behind: the dead hub's lease expired, hub B gave its own back.
			await().atMost(Duration.ofSeconds(5)).until(() -> redis.sync().zcard(slots) == 0);
		}
	}

	@Test
	void aCircuitOpenedOnOneHubKeepsTheOtherHubFromSendingToTheFailingParticipant() {
		this.upstream.on("/v1/chat/completions", (request, response) -> FakeLlm.json(response, 500,
				"{\"error\":{\"message\":\"boom\"}}"));
		String[] breaker = { "gambiarra.routing.circuit-failure-threshold=2", "gambiarra.routing.circuit-cool-down=60s" };
		this.a = Hub.onRedis(RedisServer.shared().url(), this.prefix, breaker);
		this.b = Hub.onRedis(RedisServer.shared().url(), this.prefix, breaker);
		HubClient.CreatedRoom room = this.a.api().createRoom("breaker");
		this.a.api().join(room.code(), "flaky", "m", this.upstream.endpoint());
		try (EventRecorder onB = EventRecorder.open(this.b.client(), "/rooms/" + room.code() + "/events", null)) {
			plain(this.a, room.code()).expectStatus().isEqualTo(500);
			plain(this.a, room.code()).expectStatus().isEqualTo(500);
			onB.awaitEvent("participant:circuit-open");
		}
		// Hub B never sent the participant a request, yet it keeps it out of rotation: the verdict is the club's.
		plain(this.b, room.code()).expectStatus().isEqualTo(503);
		assertThat(this.upstream.received()).hasSize(2);
	}

	private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec plain(Hub hub,
			String code) {
		return hub.post("/rooms/" + code + "/v1/chat/completions",
				Map.of("model", "*", "messages", List.of(Map.of("role", "user", "content", "hi"))), null);
	}

	private String twoHubsAndOneParticipant() {
		return twoHubsAndOneParticipant("20s");
	}

	/** @param queueTimeout how long a request may wait for the participant */
	private String twoHubsAndOneParticipant(String queueTimeout) {
		this.upstream.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.concat(Flux.just(FakeLlm.chunk("first")), this.gate.asMono().thenMany(Flux.just(FakeLlm.chunk(
						" rest"), "[DONE]")))));
		String[] lease = { "gambiarra.store.redis.lease-ttl=1s", "gambiarra.routing.queue-timeout=" + queueTimeout };
		this.a = Hub.onRedis(RedisServer.shared().url(), this.prefix, lease);
		this.b = Hub.onRedis(RedisServer.shared().url(), this.prefix, lease);
		HubClient.CreatedRoom room = this.a.api().createRoom("caps");
		this.a.api().join(room.code(), Map.of("id", "solo", "nickname", "s", "model", "m", "endpoint",
				this.upstream.endpoint(), "maxConcurrent", 1));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.b.bean(dev.gambiarra.rooms.RoomService.class)
			.find(room.code())
			.map((found) -> found.participant("solo") != null)
			.orElse(false));
		return room.code();
	}

	private void awaitElsewhere(Hub hub, String code, int inFlight) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> hub.bean(SharedLoad.class).elsewhere(code, "solo") == inFlight);
	}

	/** A streamed chat through {@code hub}, read to the end; emits the status. */
	private static Mono<Integer> stream(Hub hub, String code) {
		return WebClient.create("http://127.0.0.1:" + hub.port())
			.post()
			.uri("/rooms/" + code + "/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("model", "*", "stream", true, "messages",
					List.of(Map.of("role", "user", "content", "hi"))))
			.exchangeToMono((response) -> response.bodyToFlux(String.class)
				.then(Mono.just(response.statusCode().value())));
	}

}
