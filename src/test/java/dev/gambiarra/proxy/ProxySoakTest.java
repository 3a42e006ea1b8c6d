package dev.gambiarra.proxy;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slow: many concurrent streams against participants that fail some of the time, with clients that walk away
 * mid-stream; afterwards nothing is in flight, nothing is queued and the heap is back near its baseline. Also
 * measures what a protected room costs a proxied request compared with an open one.
 */
@Tag("slow")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.demo.enabled=false", "gambiarra.mdns.enabled=false",
				"gambiarra.console.enabled=false", "gambiarra.routing.queue-capacity=5000",
				"gambiarra.routing.queue-timeout=20s", "gambiarra.routing.circuit-failure-threshold=3",
				"gambiarra.routing.circuit-cool-down=300ms", "gambiarra.proxy.idle-timeout=2s",
				"gambiarra.proxy.first-byte-timeout=5s", "gambiarra.health.timeout=1h", "logging.level.dev.gambiarra=WARN",
				"logging.level.org.springframework.web.server.adapter.HttpWebHandlerAdapter=OFF" })
@AutoConfigureWebTestClient(timeout = "30s")
class ProxySoakTest {

	static final List<FakeLlm> upstreams = new ArrayList<>();

	@Autowired
	WebTestClient webClient;

	@Autowired
	LoadBalancer balancer;

	@LocalServerPort
	int port;

	@BeforeAll
	static void startUpstreams() {
		for (int i = 0; i < 4; i++) {
			upstreams.add(FakeLlm.start());
		}
	}

	@AfterAll
	static void stopUpstreams() {
		upstreams.forEach(FakeLlm::close);
	}

	private static FakeLlm.Behaviour streaming(int failPercent, int dropPercent) {
		return (request, response) -> {
			int roll = ThreadLocalRandom.current().nextInt(100);
			if (roll < failPercent) {
				return FakeLlm.json(response, 500, "{\"error\":\"overloaded\"}");
			}
			Flux<String> chunks = Flux.range(0, 8).delayElements(Duration.ofMillis(5)).map((i) -> FakeLlm.chunk("c" + i));
			if (roll < failPercent + dropPercent) {
				return response.status(200)
					.header("Content-Type", "text/event-stream")
					.sendString(chunks.take(3).map((data) -> "data: " + data + "\n\n")
						.concatWith(Mono.fromRunnable(() -> response.withConnection((c) -> c.dispose()))));
			}
			return FakeLlm.sse(response, chunks.concatWith(Mono.just("[DONE]")));
		};
	}

	@Test
	void manyStreamsWithFailingParticipantsAndImpatientClientsLeakNothing() {
		HubClient hub = new HubClient(this.webClient);
		String code = hub.createRoom("soak").code();
		int[][] misbehaviour = { { 0, 0 }, { 0, 0 }, { 30, 0 }, { 0, 20 } };
		for (int i = 0; i < upstreams.size(); i++) {
			upstreams.get(i).on("/v1/chat/completions", streaming(misbehaviour[i][0], misbehaviour[i][1]));
			hub.join(code, Map.of("id", "p" + i, "nickname", "n" + i, "model", "m", "endpoint",
					upstreams.get(i).endpoint(), "maxConcurrent", 16));
		}
		ConnectionProvider pool = ConnectionProvider.builder("soak").maxConnections(400).build();
		HttpClient http = HttpClient.create(pool)
			.baseUrl("http://127.0.0.1:" + this.port)
			.headers((headers) -> headers.set("Content-Type", "application/json"));
		try {
			run(http, code, 300, 50);
			long baseline = usedHeapAfterGc();
			long start = System.nanoTime();
			Outcomes outcomes = run(http, code, 3000, 200);
			long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(this.balancer.inFlight() + this.balancer.queued()).isZero());
			long after = usedHeapAfterGc();
			System.out.printf("SOAK requests=3000 concurrency=200 took=%dms completed=%d aborted=%d "
					+ "clientCancelled=%d errorStatus=%d inFlightAfter=%d queuedAfter=%d heapBaseline=%dMB "
					+ "heapAfter=%dMB errorStatuses=%s%n", millis, outcomes.completed.get(), outcomes.aborted.get(),
					outcomes.cancelled.get(), outcomes.errorStatus.get(), this.balancer.inFlight(),
					this.balancer.queued(), baseline >> 20, after >> 20, outcomes.statuses);
			assertThat(outcomes.completed.get() - outcomes.errorStatus.get())
				.as("most requests succeed despite failing participants").isGreaterThan(2000);
			assertThat(after - baseline).as("heap back near its baseline").isLessThan(64L << 20);
		}
		finally {
			pool.disposeLater().block(Duration.ofSeconds(10));
		}
	}

	private Outcomes run(HttpClient http, String code, int requests, int concurrency) {
		Outcomes outcomes = new Outcomes();
		Flux.range(0, requests).flatMap((i) -> {
			boolean impatient = i % 5 == 0;
			Flux<String> body = http.post()
				.uri("/rooms/" + code + "/v1/chat/completions")
				.send(ByteBufFlux.fromString(Mono.just("{\"model\":\"model:m\",\"stream\":true,\"messages\":[]}"),
						StandardCharsets.UTF_8, ByteBufAllocator.DEFAULT))
				.response((response, content) -> {
					if (response.status().code() != 200) {
						outcomes.errorStatus.incrementAndGet();
						outcomes.statuses.merge(response.status().code(), 1, Integer::sum);
					}
					return content.asString();
				});
			if (impatient) {
				return body.take(1).doOnComplete(outcomes.cancelled::incrementAndGet).onErrorResume((ex) -> {
					outcomes.aborted.incrementAndGet();
					return Mono.empty();
				}).then();
			}
			return body.then(Mono.fromRunnable(outcomes.completed::incrementAndGet)).onErrorResume((ex) -> {
				outcomes.aborted.incrementAndGet();
				return Mono.empty();
			}).then();
		}, concurrency).blockLast(Duration.ofMinutes(5));
		return outcomes;
	}

	@Test
	void aProtectedRoomCostsAProxiedRequestNoMoreThanNoise() {
		HubClient hub = new HubClient(this.webClient);
		FakeLlm fast = upstreams.get(0);
		fast.reset();
		String open = hub.createRoom("open").code();
		String guarded = hub.createRoom(Map.of("name", "guarded", "password", "bench-password")).code();
		hub.join(open, Map.of("id", "p", "nickname", "n", "model", "m", "endpoint", fast.endpoint()));
		hub.join(guarded, Map.of("id", "p", "nickname", "n", "model", "m", "endpoint", fast.endpoint(), "password",
				"bench-password"));
		HttpClient http = HttpClient.create().baseUrl("http://127.0.0.1:" + this.port);
		int rounds = 1000;
		List<Long> openTimes = new ArrayList<>();
		List<Long> guardedTimes = new ArrayList<>();
		for (int i = 0; i < rounds + 200; i++) {
			long a = timed(http, open, null);
			long b = timed(http, guarded, "bench-password");
			if (i >= 200) {
				openTimes.add(a);
				guardedTimes.add(b);
			}
		}
		long openMedian = median(openTimes);
		long guardedMedian = median(guardedTimes);
		System.out.printf("AUTH-COST requests=%d each, median open=%dus protected=%dus (difference %dus); "
				+ "p90 open=%dus protected=%dus%n", rounds, openMedian / 1000, guardedMedian / 1000,
				(guardedMedian - openMedian) / 1000, percentile(openTimes, 90) / 1000,
				percentile(guardedTimes, 90) / 1000);
		assertThat(guardedMedian).as("no argon2 per request: within a millisecond of the open room")
			.isLessThan(openMedian + 1_000_000);
	}

	private static long timed(HttpClient http, String code, String password) {
		long start = System.nanoTime();
		Integer status = http.headers((headers) -> {
			if (password != null) {
				headers.set("Authorization", "Bearer " + password);
			}
			headers.set("Content-Type", "application/json");
		})
			.post()
			.uri("/rooms/" + code + "/v1/chat/completions")
			.send(ByteBufFlux.fromString(Mono.just("{\"model\":\"p\",\"messages\":[]}"), StandardCharsets.UTF_8,
					ByteBufAllocator.DEFAULT))
			.responseSingle((response, body) -> body.asString().thenReturn(response.status().code()))
			.block(Duration.ofSeconds(10));
		assertThat(status).isEqualTo(200);
		return System.nanoTime() - start;
	}

	private static long median(List<Long> times) {
		return percentile(times, 50);
	}

	private static long percentile(List<Long> times, int percent) {
		List<Long> sorted = new ArrayList<>(times);
		Collections.sort(sorted);
		return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	static final class Outcomes {

		final AtomicInteger completed = new AtomicInteger();

		final AtomicInteger aborted = new AtomicInteger();

		final AtomicInteger cancelled = new AtomicInteger();

		final AtomicInteger errorStatus = new AtomicInteger();

		final Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();

	}

}
