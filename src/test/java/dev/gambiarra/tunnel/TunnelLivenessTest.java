package dev.gambiarra.tunnel;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.rooms.ParticipantStatus;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.TcpRelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tunnel's liveness with short timings: a half-open tunnel is closed by the hub itself, and an answer that stops
 * mid-stream is cut after the proxy's idle timeout, which cancels the participant's local request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.demo.enabled=false", "gambiarra.mdns.enabled=false",
				"gambiarra.console.enabled=false", "gambiarra.tunnel.ping-interval=200ms",
				"gambiarra.tunnel.missed-pings=3", "gambiarra.proxy.idle-timeout=1s" })
@AutoConfigureWebTestClient
class TunnelLivenessTest {

	@RegisterExtension
	static final FakeLlm local = FakeLlm.start();

	@Autowired
	WebTestClient client;

	@Autowired
	Tunnels tunnels;

	@Autowired
	RoomService rooms;

	@LocalServerPort
	int port;

	final List<Disposable> running = new CopyOnWriteArrayList<>();

	final List<String> log = new CopyOnWriteArrayList<>();

	@AfterEach
	void tearDown() {
		this.running.forEach(Disposable::dispose);
		local.reset();
	}

	private String[] joinTunnel(String name) {
		HubClient hub = new HubClient(this.client);
		String code = hub.createRoom(name).code();
		String token = hub.join(code, Map.of("id", "nat-1", "nickname", "behind-nat", "model", "llama3", "tunnel",
				true));
		return new String[] { code, token };
	}

	private TunnelClient tunnelClient(String code, String token, int hubPort) {
		return new TunnelClient(URI.create("http://127.0.0.1:" + hubPort), code, "nat-1", token, local.endpoint(),
				null);
	}

	@Test
	void aHalfOpenTunnelIsClosedByTheHubItself() throws Exception {
		String[] joined = joinTunnel("half-open");
		try (TcpRelay relay = TcpRelay.to(this.port)) {
			this.running.add(tunnelClient(joined[0], joined[1], relay.port()).run(this.log::add));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.tunnels.isConnected(joined[0], "nat-1"));
			// Pongs come back while the link is up: three ping intervals go by and the tunnel stays.
			long before = System.nanoTime();
			await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - before > 3 * 200_000_000L);
			assertThat(this.tunnels.isConnected(joined[0], "nat-1")).isTrue();
			assertThat(relay.openSockets()).isEqualTo(2);
			relay.freeze();
			long frozen = System.nanoTime();
			// Nothing reaches either end any more, and no close ever will: the hub gives up after 3 silent pings.
			await().atMost(Duration.ofSeconds(5)).until(() -> !this.tunnels.isConnected(joined[0], "nat-1"));
			assertThat(Duration.ofNanos(System.nanoTime() - frozen)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.rooms.require(joined[0]).participant("nat-1").status() == ParticipantStatus.OFFLINE);
			// And the hub really closed its socket (the relay saw the hub's side end), not only forgot it.
			await().atMost(Duration.ofSeconds(5)).until(() -> relay.openSockets() == 0);
		}
	}

	@Test
	void anAnswerThatStallsIsCutAfterTheIdleTimeoutAndTheLocalRequestIsCancelled() {
		AtomicBoolean cancelled = new AtomicBoolean();
		local.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.concat(Flux.just(FakeLlm.chunk("first")), Flux.<String>never())
					.doOnCancel(() -> cancelled.set(true))));
		String[] joined = joinTunnel("stalls");
		this.running.add(tunnelClient(joined[0], joined[1], this.port).run(this.log::add));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.tunnels.isConnected(joined[0], "nat-1"));
		List<String> received = new CopyOnWriteArrayList<>();
		AtomicBoolean ended = new AtomicBoolean();
		long start = System.nanoTime();
		this.running.add(HttpClient.create()
			.headers((headers) -> headers.set("Content-Type", "application/json"))
			.post()
			.uri("http://127.0.0.1:" + this.port + "/rooms/" + joined[0] + "/v1/chat/completions")
			.send(ByteBufFlux.fromString(Mono.just("{\"model\":\"nat-1\",\"stream\":true,\"messages\":[]}")))
			.responseContent()
			.asString(StandardCharsets.UTF_8)
			.doFinally((signal) -> ended.set(true))
			.subscribe(received::add, (ex) -> {
			}));
		await().atMost(Duration.ofSeconds(10)).until(() -> String.join("", received).contains("first"));
		// One second without a frame: the client's response ends (aborted, no [DONE]) and join cancels locally.
		await().atMost(Duration.ofSeconds(5)).untilTrue(ended);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
		assertThat(String.join("", received)).doesNotContain("[DONE]");
		await().atMost(Duration.ofSeconds(2)).untilTrue(cancelled);
	}

}
