package dev.gambiarra.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

import org.springframework.util.unit.DataSize;

import dev.gambiarra.outbound.TestPolicies;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.ParticipantStatus;
import dev.gambiarra.support.FakeLlm;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay's upstream connections stay on the event loop that relays, so an answer never crosses threads. */
class UpstreamClientTest {

	@RegisterExtension
	static final FakeLlm llm = FakeLlm.start();

	private final UpstreamClient upstream = new UpstreamClient(new ProxyProperties(Duration.ofSeconds(5),
			Duration.ofSeconds(10), Duration.ofSeconds(10), 64, Duration.ofSeconds(60), DataSize.ofMegabytes(8)),
			AddressGuardTest.POLICY);

	private final Participant participant = new Participant("p1", "P1", "m", llm.endpoint(), Map.of(), Map.of(),
			ParticipantStatus.ONLINE, 0, 0, null, "token", 4);

	@AfterEach
	void close() {
		this.upstream.destroy();
	}

	@Test
	void eachEventLoopReadsTheAnswersToTheRelaysItStarted() throws Exception {
		List<EventExecutor> loops = new ArrayList<>();
		HttpResources.get().onClient(LoopResources.DEFAULT_NATIVE).forEach(loops::add);
		assertThat(loops).hasSizeGreaterThan(1);

		// Twice round: the second time, every loop finds idle pooled connections, and must still use its own.
		for (int round = 0; round < 2; round++) {
			for (EventExecutor loop : loops) {
				CompletableFuture<Thread> answeredOn = new CompletableFuture<>();
				CompletableFuture<Thread> startedOn = new CompletableFuture<>();
				loop.execute(() -> {
					startedOn.complete(Thread.currentThread());
					byte[] body = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
					this.upstream.relay(this.participant, "chat/completions", "req-1", false, body)
						.response((response, content) -> {
							answeredOn.complete(Thread.currentThread());
							return content.then();
						})
						.subscribe(null, answeredOn::completeExceptionally);
				});
				assertThat(answeredOn.get(10, TimeUnit.SECONDS)).isSameAs(startedOn.get(10, TimeUnit.SECONDS));
			}
		}
	}

	@Test
	void aNameThatResolvesToADeniedAddressIsRefusedWhenTheConnectionOpens() {
		UpstreamClient guarded = new UpstreamClient(new ProxyProperties(Duration.ofSeconds(5), Duration.ofSeconds(10),
				Duration.ofSeconds(10), 64, Duration.ofSeconds(60), DataSize.ofMegabytes(8)),
				TestPolicies.loopbackDeniedAtConnect());
		try {
			Participant byName = new Participant("p2", "P2", "m", "http://localhost:" + llm.port(), Map.of(), Map.of(),
					ParticipantStatus.ONLINE, 0, 0, null, "token", 4);
			int before = llm.received().size();
			byte[] body = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
			StepVerifier.create(guarded.relay(byName, "chat/completions", "req-2", false, body)
				.response((response, content) -> content.then()))
				.expectErrorSatisfies((ex) -> assertThat(ProxyService.describe(ex))
					.isEqualTo("participant address not allowed on this hub"))
				.verify(Duration.ofSeconds(10));
			assertThat(llm.received()).as("no request reached the participant").hasSize(before);
		}
		finally {
			guarded.destroy();
		}
	}

}
