package dev.gambiarra.tunnel;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.proxy.RoomCompletions;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.ParticipantStatus;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.support.EventRecorder;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.HubTest;
import dev.gambiarra.support.TcpRelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Participants behind NAT, end to end: the real {@link TunnelClient} forwards to a fake LLM on loopback, the hub
 * reaches the participant only through the tunnel, and a hand-written socket plays a misbehaving participant.
 */
@HubTest
class TunnelTest {

	@RegisterExtension
	static final FakeLlm local = FakeLlm.start();

	@Autowired
	WebTestClient client;

	@Autowired
	Tunnels tunnels;

	@Autowired
	RoomService rooms;

	@Autowired
	RoomCompletions completions;

	@LocalServerPort
	int port;

	HubClient hub;

	final List<Disposable> running = new CopyOnWriteArrayList<>();

	final List<String> log = new CopyOnWriteArrayList<>();

	ConnectionProvider connections;

	HttpClient http;

	@BeforeEach
	void setUp() {
		local.reset();
		this.hub = new HubClient(this.client);
		this.connections = ConnectionProvider.builder("tunnel-test").maxConnections(128).build();
		this.http = HttpClient.create(this.connections).baseUrl("http://127.0.0.1:" + this.port);
	}

	@AfterEach
	void tearDown() {
		this.running.forEach(Disposable::dispose);
		this.connections.dispose();
	}

	record Joined(String code, String id, String token) {
	}

	private Joined joinTunnel(String room, int maxConcurrent) {
		String code = this.hub.createRoom(room).code();
		String token = this.hub.join(code, Map.of("id", "nat-1", "nickname", "behind-nat", "model", "llama3",
				"endpoint", local.endpoint(), "tunnel", true, "maxConcurrent", maxConcurrent));
		return new Joined(code, "nat-1", token);
	}

	private TunnelClient tunnelClient(Joined joined, int hubPort) {
		return new TunnelClient(URI.create("http://127.0.0.1:" + hubPort), joined.code(), joined.id(), joined.token(),
				local.endpoint(), null);
	}

	private void open(Joined joined) {
		this.running.add(tunnelClient(joined, this.port).run(this.log::add));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.tunnels.isConnected(joined.code(), joined.id()));
	}

	private Participant participant(Joined joined) {
		return this.rooms.require(joined.code()).participant(joined.id());
	}

	private static String chat(String model, boolean stream) {
		return "{\"model\":\"" + model + "\",\"stream\":" + stream
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
	}

	private Flux<String> stream(String code, String model) {
		return this.http.headers((headers) -> headers.set("Content-Type", "application/json"))
			.post()
			.uri("/rooms/" + code + "/v1/chat/completions")
			.send(ByteBufFlux.fromString(Mono.just(chat(model, true))))
			.responseContent()
			.asString(StandardCharsets.UTF_8);
	}

	@Test
	void aTunnelParticipantShowsTunnelAndTheHubNeverDialsItsUrl() {
		Joined joined = joinTunnel("shown", 4);
		String listing = this.client.get()
			.uri("/rooms/{code}/participants", joined.code())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(listing).contains("\"endpoint\":\"tunnel\"").doesNotContain(String.valueOf(local.port()));
		// No tunnel open yet: the request fails as a refused connection, and the URL the join sent is never dialled.
		this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", joined.code())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(chat("nat-1", false))
			.exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectBody()
			.jsonPath("$.error.message")
			.value((message) -> assertThat((String) message).startsWith("Failed to proxy request"));
		assertThat(local.received()).isEmpty();
	}

	@Test
	void streamedAndJsonAnswersComeBackThroughTheTunnel() {
		Joined joined = joinTunnel("relay", 4);
		open(joined);
		assertThat(participant(joined).status()).isEqualTo(ParticipantStatus.ONLINE);
		String streamed = stream(joined.code(), "model:llama3").collect(Collectors.joining()).block(Duration.ofSeconds(10));
		assertThat(streamed).contains("\"content\":\"Hello\"", "\"content\":\" fake\"").endsWith("data: [DONE]\n\n");
		JsonNode answer = this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", joined.code())
			.contentType(MediaType.APPLICATION_JSON)
			.header("X-Request-Id", "req-tunnel-1")
			.header("Authorization", "Bearer client-secret")
			.bodyValue(chat("*", false))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Request-Id", "req-tunnel-1")
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(answer.at("/choices/0/message/content").asString()).isEqualTo("Hello from fake");
		FakeLlm.Received received = local.lastReceived();
		assertThat(received.path()).isEqualTo("/v1/chat/completions");
		assertThat(received.headers().get("X-Request-Id")).isEqualTo("req-tunnel-1");
		assertThat(received.headers().get("Authorization")).isNull();
		assertThat(received.body()).contains("\"model\":\"llama3\"");
	}

	@Test
	void sixtyFourConcurrentStreamsShareOneTunnel() {
		int streams = 64;
		AtomicInteger started = new AtomicInteger();
		Sinks.Empty<Void> allStarted = Sinks.empty();
		local.on("/v1/chat/completions", (request, response) -> {
			if (started.incrementAndGet() == streams) {
				allStarted.tryEmitEmpty();
			}
			// Every answer waits until all 64 requests reached the local server: they run at once, on one tunnel.
			Flux<String> chunks = Flux.concat(Flux.just(FakeLlm.chunk("first")),
					allStarted.asMono().thenMany(Flux.range(0, 20).map((i) -> FakeLlm.chunk("c" + i))),
					Flux.just("[DONE]"));
			return FakeLlm.sse(response, chunks);
		});
		Joined joined = joinTunnel("many", streams);
		open(joined);
		List<String> answers = Flux.range(0, streams)
			.flatMap((i) -> stream(joined.code(), "nat-1").collect(Collectors.joining()), streams)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(answers).hasSize(streams)
			.allSatisfy((answer) -> assertThat(answer).contains("\"content\":\"c19\"").endsWith("data: [DONE]\n\n"));
		assertThat(started).hasValue(streams);
	}

	@Test
	void aClientThatDoesNotReadHoldsBackOnlyItsOwnStream() {
		AtomicBoolean bigFinished = new AtomicBoolean();
		local.on("/v1/completions", (request, response) -> response.status(200)
			.header("Content-Type", "text/event-stream")
			.send(Flux.range(0, 512).map((i) -> Unpooled.wrappedBuffer(new byte[64 * 1024])), (buffer) -> true)
			.then()
			.doOnSuccess((done) -> bigFinished.set(true)));
		Joined joined = joinTunnel("slow", 4);
		open(joined);
		// 32 MiB that this client never reads past its first buffer.
		AtomicInteger chunks = new AtomicInteger();
		AtomicLong bytes = new AtomicLong();
		AtomicBoolean complete = new AtomicBoolean();
		BaseSubscriber<ByteBuf> stalled = new BaseSubscriber<>() {
			@Override
			protected void hookOnSubscribe(Subscription subscription) {
				request(1);
			}

			@Override
			protected void hookOnNext(ByteBuf value) {
				chunks.incrementAndGet();
				bytes.addAndGet(value.readableBytes());
			}

			@Override
			protected void hookOnComplete() {
				complete.set(true);
			}
		};
		this.http.headers((headers) -> headers.set("Content-Type", "application/json"))
			.post()
			.uri("/rooms/" + joined.code() + "/v1/completions")
			.send(ByteBufFlux.fromString(Mono.just("{\"model\":\"nat-1\",\"stream\":true,\"prompt\":\"x\"}")))
			.responseContent()
			.subscribe(stalled);
		this.running.add(stalled);
		await().atMost(Duration.ofSeconds(10)).until(() -> chunks.get() == 1);
		// The other streams on the same tunnel go on.
		String other = stream(joined.code(), "nat-1").collect(Collectors.joining()).block(Duration.ofSeconds(10));
		assertThat(other).endsWith("data: [DONE]\n\n");
		// Credit stopped the local server's answer too: it was not read into the hub's memory behind the client.
		assertThat(bigFinished).isFalse();
		// And the held-back stream was only paused: read now, it arrives whole.
		stalled.request(Long.MAX_VALUE);
		await().atMost(Duration.ofSeconds(30)).untilTrue(complete);
		assertThat(bytes).hasValue(512L * 64 * 1024);
		await().atMost(Duration.ofSeconds(10)).untilTrue(bigFinished);
	}

	@Test
	void aClientThatLeavesCancelsTheLocalRequestWithinASecond() {
		AtomicBoolean cancelled = new AtomicBoolean();
		local.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.interval(Duration.ofMillis(20)).map((i) -> FakeLlm.chunk("t" + i))
					.doOnCancel(() -> cancelled.set(true))));
		Joined joined = joinTunnel("cancel", 4);
		open(joined);
		String first = stream(joined.code(), "nat-1").blockFirst(Duration.ofSeconds(10));
		assertThat(first).contains("\"content\":\"t");
		await().atMost(Duration.ofSeconds(1)).untilTrue(cancelled);
	}

	@Test
	void aTunnelKilledMidStreamAbortsTheAnswerGoesOfflineOnceAndReconnects() throws Exception {
		local.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.interval(Duration.ofMillis(20)).map((i) -> FakeLlm.chunk("t" + i))));
		Joined joined = joinTunnel("killed", 4);
		try (TcpRelay relay = TcpRelay.to(this.port);
				EventRecorder events = EventRecorder.open(this.client, "/rooms/" + joined.code() + "/events", null)) {
			this.running.add(tunnelClient(joined, relay.port()).run(this.log::add));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.tunnels.isConnected(joined.code(), joined.id()));
			List<String> received = new CopyOnWriteArrayList<>();
			AtomicBoolean failed = new AtomicBoolean();
			AtomicBoolean completed = new AtomicBoolean();
			this.running.add(stream(joined.code(), "nat-1").subscribe(received::add, (ex) -> failed.set(true),
					() -> completed.set(true)));
			await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
			relay.cut();
			await().atMost(Duration.ofSeconds(10)).until(() -> failed.get() || completed.get());
			assertThat(String.join("", received)).doesNotContain("[DONE]");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> participant(joined).status() == ParticipantStatus.OFFLINE);
			events.awaitEvent("llm:error");
			relay.restore();
			// The same join: the client reopens the tunnel with its token and the participant is back online.
			await().atMost(Duration.ofSeconds(15))
				.until(() -> participant(joined).status() == ParticipantStatus.ONLINE
						&& this.tunnels.isConnected(joined.code(), joined.id()));
			events.awaitEvent("participant:online");
			assertThat(events.types().stream().filter("participant:offline"::equals)).hasSize(1);
			assertThat(events.types()).doesNotContain("participant:joined");
			local.reset();
			String again = this.client.post()
				.uri("/rooms/{code}/v1/chat/completions", joined.code())
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(chat("nat-1", false))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(again).contains("Hello from fake");
		}
	}

	@Test
	void aKickedParticipantLosesItsTunnelAtOnceAndItsClientDoesNotReconnect() {
		Joined joined = joinTunnel("kicked", 4);
		AtomicInteger refusals = new AtomicInteger();
		this.running.add(tunnelClient(joined, this.port).run(this.log::add, refusals::incrementAndGet));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.tunnels.isConnected(joined.code(), joined.id()));
		long kickedAt = System.nanoTime();
		this.rooms.kick(this.rooms.require(joined.code()), joined.id()).block(Duration.ofSeconds(5));
		// Closed by the hub right away (the next ping is 10 s off), with the code that tells the client to stop.
		await().atMost(Duration.ofSeconds(3)).until(() -> refusals.get() == 1);
		assertThat(Duration.ofNanos(System.nanoTime() - kickedAt)).isLessThan(Duration.ofSeconds(3));
		assertThat(this.tunnels.isConnected(joined.code(), joined.id())).isFalse();
		assertThat(this.log).anyMatch((line) -> line.contains("participant kicked"))
			.noneMatch((line) -> line.contains("reconnecting"));
	}

	@Test
	void aParticipantThatLeavesLosesItsTunnelAtOnce() {
		Joined joined = joinTunnel("leaves", 4);
		AtomicInteger refusals = new AtomicInteger();
		this.running.add(tunnelClient(joined, this.port).run(this.log::add, refusals::incrementAndGet));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.tunnels.isConnected(joined.code(), joined.id()));
		this.client.delete()
			.uri("/rooms/{code}/leave/{id}", joined.code(), joined.id())
			.header("Authorization", "Bearer " + joined.token())
			.exchange()
			.expectStatus()
			.isOk();
		await().atMost(Duration.ofSeconds(3)).until(() -> refusals.get() == 1);
		assertThat(this.tunnels.isConnected(joined.code(), joined.id())).isFalse();
		assertThat(this.log).anyMatch((line) -> line.contains("participant left"))
			.noneMatch((line) -> line.contains("reconnecting"));
	}

	@Test
	void closingTheRoomClosesItsTunnels() {
		HubClient.CreatedRoom room = this.hub.createRoom("closing");
		String token = this.hub.join(room.code(), Map.of("id", "nat-1", "nickname", "behind-nat", "model", "llama3",
				"tunnel", true));
		Joined joined = new Joined(room.code(), "nat-1", token);
		AtomicInteger refusals = new AtomicInteger();
		this.running.add(tunnelClient(joined, this.port).run(this.log::add, refusals::incrementAndGet));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.tunnels.isConnected(joined.code(), joined.id()));
		this.client.delete()
			.uri("/rooms/{code}", room.code())
			.header("Authorization", "Bearer " + room.hostId())
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
		await().atMost(Duration.ofSeconds(3)).until(() -> refusals.get() == 1);
		assertThat(this.log).anyMatch((line) -> line.contains("room closed"))
			.noneMatch((line) -> line.contains("reconnecting"));
	}

	@Test
	void anIdThatNeedsEncodingInThePathStillOpensItsTunnel() {
		String code = this.hub.createRoom("encoded").code();
		String token = this.hub.join(code, Map.of("id", "ana's box/1", "nickname", "ana", "model", "llama3",
				"tunnel", true));
		Joined joined = new Joined(code, "ana's box/1", token);
		open(joined);
		assertThat(participant(joined).status()).isEqualTo(ParticipantStatus.ONLINE);
	}

	@Test
	void onlyTheParticipantsOwnTokenOpensItsTunnel() {
		Joined joined = joinTunnel("tokens", 4);
		String other = this.hub.join(joined.code(), Map.of("id", "direct-1", "nickname", "direct", "model", "llama3",
				"endpoint", local.endpoint()));
		this.client.get()
			.uri("/rooms/{code}/participants/{id}/tunnel", joined.code(), joined.id())
			.header("Authorization", "Bearer " + other)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"error\":\"Invalid participant token\"}");
		this.client.get()
			.uri("/rooms/{code}/participants/{id}/tunnel", joined.code(), joined.id())
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.client.get()
			.uri("/rooms/{code}/participants/{id}/tunnel", joined.code(), "direct-1")
			.header("Authorization", "Bearer " + other)
			.exchange()
			.expectStatus()
			.isEqualTo(409);
		this.client.get()
			.uri("/rooms/{code}/participants/{id}/tunnel", joined.code(), "nobody")
			.header("Authorization", "Bearer " + other)
			.exchange()
			.expectStatus()
			.isNotFound();
		// And over a real WebSocket handshake: refused, never opened.
		Throwable refused = rawSocket(joined, other, (in, out) -> in.receive().then()).then()
			.<Throwable>then(Mono.empty())
			.onErrorResume(Mono::just)
			.block(Duration.ofSeconds(10));
		assertThat(refused).isNotNull().hasMessageContaining("401");
		assertThat(this.tunnels.isConnected(joined.code(), joined.id())).isFalse();
	}

	@Test
	void anOversizeFrameClosesTheTunnelAndTheParticipantGoesOffline() {
		Joined joined = joinTunnel("oversize", 4);
		Integer closeCode = rawSocket(joined, joined.token(), (in, out) -> {
			byte[] huge = new byte[300 * 1024];
			huge[0] = TunnelFrames.DATA;
			return out.sendObject(Mono.just(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(huge))))
				.then()
				.thenMany(in.receiveCloseStatus().map((status) -> status.code()));
		}).cast(Integer.class).blockFirst(Duration.ofSeconds(10));
		assertThat(closeCode).isEqualTo(1009);
		await().atMost(Duration.ofSeconds(5)).until(() -> participant(joined).status() == ParticipantStatus.OFFLINE);
	}

	@Test
	void aParticipantCannotAnswerAnotherParticipantsRequests() {
		Sinks.Empty<Void> spammed = Sinks.empty();
		local.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response,
				Flux.concat(Flux.just(FakeLlm.chunk("honest")), spammed.asMono().thenMany(Flux.just(
						FakeLlm.chunk("answer"), "[DONE]")))));
		Joined honest = joinTunnel("ids", 4);
		open(honest);
		String evilToken = this.hub.join(honest.code(), Map.of("id", "evil-1", "nickname", "evil", "model", "other",
				"endpoint", "http://ignored", "tunnel", true));
		Joined evil = new Joined(honest.code(), "evil-1", evilToken);
		Sinks.Empty<Void> evilDone = Sinks.empty();
		this.running.add(rawSocket(evil, evilToken, (in, out) -> out.sendObject(Flux.range(1, 8)
			.concatMap((id) -> Flux.just(
					TunnelFrames.frame(out.alloc(), TunnelFrames.RESPONSE, id, "{\"status\":200}"),
					TunnelFrames.frame(out.alloc(), TunnelFrames.DATA, id, "data: EVIL\n\n"),
					TunnelFrames.frame(out.alloc(), TunnelFrames.END, id)))
			.map(BinaryWebSocketFrame::new)
			.doOnComplete(evilDone::tryEmitEmpty)).then().then(in.receive().then())).subscribe());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.tunnels.isConnected(evil.code(), evil.id()));
		List<String> received = new CopyOnWriteArrayList<>();
		Mono<Void> answer = stream(honest.code(), "nat-1").doOnNext(received::add).then();
		this.running.add(evilDone.asMono().then(Mono.fromRunnable(spammed::tryEmitEmpty)).subscribe());
		answer.block(Duration.ofSeconds(10));
		String text = String.join("", received);
		assertThat(text).contains("honest", "answer").endsWith("data: [DONE]\n\n").doesNotContain("EVIL");
	}

	@Test
	void theHubsOwnCompletionsReachATunnelParticipantToo() {
		local.on("/v1/chat/completions", (request, response) -> response.status(200)
			.header("Content-Type", "text/event-stream")
			// One event cut in the middle of a two-byte character, and two events in one write.
			.send(Flux.just("data: {\"x\":\"caf\u00e9", "\"}\n\ndata: {\"y\":1}\n\n", "data: [DONE]\n\n")
				.map((text) -> text.getBytes(StandardCharsets.UTF_8))
				.concatMap((bytes) -> Flux.just(Unpooled.wrappedBuffer(bytes, 0, bytes.length - 1),
						Unpooled.wrappedBuffer(bytes, bytes.length - 1, 1))), (buffer) -> true)
			.then());
		Joined joined = joinTunnel("agent", 4);
		open(joined);
		tools.jackson.databind.node.ObjectNode body = new tools.jackson.databind.json.JsonMapper().createObjectNode();
		body.putArray("messages").addObject().put("role", "user").put("content", "hi");
		List<String> data = this.completions.stream(joined.code(), "nat-1", body).collectList()
			.block(Duration.ofSeconds(10));
		assertThat(data).containsExactly("{\"x\":\"caf\u00e9\"}", "{\"y\":1}");
		assertThat(local.lastReceived().body()).contains("\"model\":\"llama3\"", "\"stream\":true");
	}

	@Test
	void theOfficialOpenAiJavaSdkWorksThroughATunnelParticipant() {
		Joined joined = joinTunnel("sdk", 4);
		open(joined);
		OpenAIClient openAi = OpenAIOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port + "/rooms/" + joined.code() + "/v1")
			.apiKey("anything")
			.maxRetries(0)
			.build();
		try {
			ChatCompletion completion = openAi.chat()
				.completions()
				.create(ChatCompletionCreateParams.builder().model("*").addUserMessage("hello").build());
			assertThat(completion.choices().get(0).message().content()).contains("Hello from fake");
			ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
				.model("model:llama3")
				.addUserMessage("hello")
				.build();
			try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params)) {
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

	private Flux<?> rawSocket(Joined joined, String token,
			java.util.function.BiFunction<reactor.netty.http.websocket.WebsocketInbound, reactor.netty.http.websocket.WebsocketOutbound, org.reactivestreams.Publisher<?>> handler) {
		return HttpClient.create(ConnectionProvider.newConnection())
			.headers((headers) -> headers.set("Authorization", "Bearer " + token))
			.websocket(WebsocketClientSpec.builder().build())
			.uri(tunnelClient(joined, this.port).tunnelUri())
			.handle(handler::apply);
	}

}
