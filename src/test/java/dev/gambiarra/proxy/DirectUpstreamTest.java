package dev.gambiarra.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpResources;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.util.unit.DataSize;

import dev.gambiarra.outbound.TestPolicies;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.ParticipantStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's own client for participants at an IP literal: it keeps its connections alive and on the loop that
 * relays, does not trip over a pooled connection the participant closed, checks the address it connects to, and
 * leaves other host names, TLS and calls off the event loops to the Reactor Netty client.
 */
class DirectUpstreamTest {

	private static final byte[] BODY = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);

	private static final ProxyProperties PROPERTIES = new ProxyProperties(Duration.ofSeconds(5),
			Duration.ofSeconds(10), Duration.ofSeconds(10), 64, Duration.ofSeconds(60), DataSize.ofMegabytes(8));

	/** The participant's side of each connection the hub opened. */
	private final Set<Channel> connections = ConcurrentHashMap.newKeySet();

	private DisposableServer llm;

	private UpstreamClient upstream;

	@BeforeEach
	void start() {
		this.llm = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.doOnConnection((connection) -> this.connections.add(connection.channel()))
			.handle((request, response) -> request.receive()
				.then(response.header("Content-Type", "application/json").sendString(Mono.just("{\"ok\":true}"))
					.then()))
			.bindNow();
		this.upstream = new UpstreamClient(PROPERTIES, AddressGuardTest.POLICY);
	}

	@AfterEach
	void stop() {
		this.upstream.destroy();
		this.llm.disposeNow();
	}

	@Test
	void onlyPlainHttpAtAnIpLiteralIsItsToServe() {
		DirectUpstream.Target v4 = DirectUpstream.Target.parse("http://192.168.1.20:11434", null);
		assertThat(v4).isNotNull();
		assertThat(v4.address()).isEqualTo(new InetSocketAddress("192.168.1.20", 11434));
		assertThat(v4.host()).isEqualTo("192.168.1.20:11434");
		assertThat(v4.path()).isEmpty();
		DirectUpstream.Target v6 = DirectUpstream.Target.parse("http://[::1]:8080/llm/", null);
		assertThat(v6).isNotNull();
		assertThat(v6.address().getPort()).isEqualTo(8080);
		assertThat(v6.address().getAddress().isLoopbackAddress()).isTrue();
		assertThat(v6.path()).isEqualTo("/llm");
		assertThat(DirectUpstream.Target.parse("http://10.0.0.1", null).address().getPort()).isEqualTo(80);
		assertThat(DirectUpstream.Target.parse("https://10.0.0.1:443", null)).isNull();
		assertThat(DirectUpstream.Target.parse("http://ollama.lan:11434", null)).isNull();
		assertThat(DirectUpstream.Target.parse("not a url", null)).isNull();
		// localhost, when the hosts file says what it is; the Host header stays as the participant gave it.
		InetAddress loopback = InetAddress.getLoopbackAddress();
		assertThat(DirectUpstream.Target.parse("http://localhost:11434", null)).isNull();
		DirectUpstream.Target local = DirectUpstream.Target.parse("http://LocalHost:11434", loopback);
		assertThat(local).isNotNull();
		assertThat(local.address()).isEqualTo(new InetSocketAddress(loopback, 11434));
		assertThat(local.host()).isEqualTo("LocalHost:11434");
	}

	@Test
	void eachLoopKeepsItsConnectionAliveAndReadsItsAnswersItself() throws Exception {
		EventExecutor loop = HttpResources.get().onClient(LoopResources.DEFAULT_NATIVE).next();
		Participant participant = participant("http://127.0.0.1:" + this.llm.port());
		for (int i = 0; i < 5; i++) {
			Answered answered = relayOn(loop, participant);
			assertThat(answered.status()).isEqualTo(200);
			assertThat(answered.body()).isEqualTo("{\"ok\":true}");
			assertThat(answered.thread()).isSameAs(answered.startedOn());
		}
		assertThat(this.connections).as("one kept-alive connection for five relays").hasSize(1);
		assertThat(this.upstream.directCalls()).isEqualTo(5);
	}

	@Test
	void localhostIsServedHereToo() throws Exception {
		EventExecutor loop = HttpResources.get().onClient(LoopResources.DEFAULT_NATIVE).next();
		Answered answered = relayOn(loop, participant("http://localhost:" + this.llm.port()));
		assertThat(answered.status()).isEqualTo(200);
		assertThat(answered.body()).isEqualTo("{\"ok\":true}");
		assertThat(this.upstream.directCalls()).isEqualTo(1);
	}

	@Test
	void aCallOffTheEventLoopsGoesThroughTheReactorNettyClient() {
		String body = this.upstream
			.relay(participant("http://127.0.0.1:" + this.llm.port()), "chat/completions", "req-off", false, BODY,
					(status, type, length, content) -> content.then())
			.then(Mono.just("done"))
			.block(Duration.ofSeconds(10));
		assertThat(body).isEqualTo("done");
		assertThat(this.connections).hasSize(1);
		assertThat(this.upstream.directCalls()).isZero();
	}

	@Test
	void aPooledConnectionTheParticipantClosedIsNotAFailure() throws Exception {
		EventExecutor loop = HttpResources.get().onClient(LoopResources.DEFAULT_NATIVE).next();
		Participant participant = participant("http://127.0.0.1:" + this.llm.port());
		assertThat(relayOn(loop, participant).status()).isEqualTo(200);
		// The participant drops the idle connection (as servers do after their keep-alive timeout).
		this.connections.forEach(Channel::close);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connections.stream().noneMatch(Channel::isActive));
		assertThat(relayOn(loop, participant).status()).isEqualTo(200);
		assertThat(this.connections).hasSize(2);
	}

	@Test
	void anAddressTheGuardRefusesIsRefusedWhenTheConnectionOpens() throws Exception {
		UpstreamClient guarded = new UpstreamClient(PROPERTIES, TestPolicies.loopbackDeniedAtConnect());
		try {
			EventExecutor loop = HttpResources.get().onClient(LoopResources.DEFAULT_NATIVE).next();
			CompletableFuture<Throwable> failed = new CompletableFuture<>();
			loop.execute(() -> guarded.relay(participant("http://127.0.0.1:" + this.llm.port()), "chat/completions",
					"req-guard", false, BODY, (status, type, length, content) -> content.then())
				.subscribe(null, failed::complete, () -> failed.complete(null)));
			assertThat(failed.get(10, TimeUnit.SECONDS)).isNotNull()
				.satisfies((ex) -> assertThat(ProxyService.describe(ex))
					.isEqualTo("participant address not allowed on this hub"))
				.satisfies((ex) -> assertThat(ProxyService.isConnectFailure(ex)).isTrue());
			assertThat(this.connections).as("nothing reached the participant").isEmpty();
		}
		finally {
			guarded.destroy();
		}
	}

	private Answered relayOn(EventExecutor loop, Participant participant) throws Exception {
		CompletableFuture<Answered> answered = new CompletableFuture<>();
		loop.execute(() -> {
			Thread startedOn = Thread.currentThread();
			this.upstream
				.relay(participant, "chat/completions", "req-1", false, BODY,
						(status, type, length, content) -> content.aggregate()
							.asString(StandardCharsets.UTF_8)
							.doOnNext((body) -> answered
								.complete(new Answered(status, body, Thread.currentThread(), startedOn)))
							.then())
				.subscribe(null, answered::completeExceptionally);
		});
		return answered.get(10, TimeUnit.SECONDS);
	}

	private static Participant participant(String endpoint) {
		return new Participant("p1", "P1", "m", endpoint, Map.of(), Map.of(), ParticipantStatus.ONLINE, 0, 0, null,
				"token", 4);
	}

	private record Answered(int status, String body, Thread thread, Thread startedOn) {
	}

}
