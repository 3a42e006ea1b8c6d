package dev.gambiarra.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;

import dev.gambiarra.shell.CliException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code join}'s stay in a room against a fake hub that can "restart" (forget its participants and come back with
 * a new room id) or kick us (forget us, same room).
 */
class JoinSessionTest {

	private final FakeHub hub = new FakeHub();

	private final StringWriter output = new StringWriter();

	private DisposableServer server;

	@BeforeEach
	void start() {
		this.server = this.hub.start();
	}

	@AfterEach
	void stop() {
		this.server.disposeNow();
	}

	@Test
	void heartbeatsWithItsTokenAndLeavesCleanly() throws Exception {
		JoinSession session = session();
		session.join();
		Thread thread = run(session, new AtomicReference<>());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.hub.beats.get() >= 2);
		session.stop(Duration.ofSeconds(5));
		thread.join(5000);
		assertThat(thread.isAlive()).isFalse();
		assertThat(this.hub.authorizations).allMatch("Bearer token-1"::equals);
		assertThat(this.hub.left).containsExactly("p1");
		assertThat(this.output.toString()).contains("Left room ABC123");
	}

	@Test
	void joinsAgainByItselfWhenTheHubRestartedAndForgotIt() throws Exception {
		JoinSession session = session();
		session.join();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread thread = run(session, failure);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.hub.beats.get() >= 1);
		this.hub.restart();
		await().atMost(Duration.ofSeconds(5)).until(() -> session.rejoins() == 1);
		int beatsAfterRejoin = this.hub.beats.get();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.hub.beats.get() > beatsAfterRejoin);
		assertThat(this.hub.joins.get()).isEqualTo(2);
		assertThat(this.hub.authorizations.get(this.hub.authorizations.size() - 1)).isEqualTo("Bearer token-2");
		assertThat(this.output.toString()).contains("joined room ABC123 again");
		session.stop(Duration.ofSeconds(5));
		thread.join(5000);
		assertThat(failure.get()).isNull();
	}

	@Test
	void keepsTryingWhileTheHubIsDownAndEndsWhenKicked() throws Exception {
		JoinSession session = session();
		session.join();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread thread = run(session, failure);
		this.hub.down = true;
		await().atMost(Duration.ofSeconds(5)).until(() -> this.output.toString().contains("still trying"));
		this.hub.down = false;
		this.hub.kick();
		thread.join(5000);
		assertThat(failure.get()).isInstanceOf(CliException.class).hasMessage("Removed from room ABC123 by its host");
		assertThat(this.hub.joins.get()).isEqualTo(1);
	}

	@Test
	void refusalsToJoinAreOneLineFailures() {
		this.hub.password = "secret";
		assertThatThrownBy(() -> session().join()).isInstanceOf(CliException.class)
			.hasMessage("Cannot join room ABC123: Invalid password (401; check --password)");
		this.server.disposeNow();
		assertThatThrownBy(() -> session().join()).isInstanceOf(CliException.class)
			.hasMessageStartingWith("Cannot reach http://127.0.0.1:");
	}

	private JoinSession session() {
		Map<String, Object> registration = new LinkedHashMap<>();
		registration.put("id", "p1");
		registration.put("nickname", "tester");
		registration.put("model", "m");
		registration.put("endpoint", "http://127.0.0.1:1");
		Remote http = new CliHttp(new CliProperties("http://localhost:3000", Duration.ofSeconds(2),
				Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2),
				Duration.ofSeconds(60)))
			.at("http://127.0.0.1:" + this.server.port());
		return new JoinSession(http, "ABC123", registration, null, Duration.ofMillis(50),
				new PrintWriter(this.output, true));
	}

	private static Thread run(JoinSession session, AtomicReference<Throwable> failure) {
		Thread thread = new Thread(() -> {
			try {
				session.run();
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		}, "join-session");
		thread.start();
		return thread;
	}

	/** Just enough of a hub: join, health, leave and the room list, with restart and kick switches. */
	static final class FakeHub {

		final AtomicInteger joins = new AtomicInteger();

		final AtomicInteger beats = new AtomicInteger();

		final List<String> authorizations = new CopyOnWriteArrayList<>();

		final List<String> left = new CopyOnWriteArrayList<>();

		volatile boolean present;

		volatile String roomId = "room-1";

		volatile String token = "";

		volatile String password;

		volatile boolean down;

		void restart() {
			this.present = false;
			this.roomId = "room-2";
		}

		void kick() {
			this.present = false;
		}

		DisposableServer start() {
			return HttpServer.create()
				.host("127.0.0.1")
				.port(0)
				.route((routes) -> routes.post("/rooms/{code}/join", (req, res) -> req.receive()
					.aggregate()
					.asString()
					.flatMap((body) -> {
						if (this.password != null && !body.contains("\"password\":\"" + this.password + "\"")) {
							return json(res.status(401), "{\"error\":\"Invalid password\"}");
						}
						this.present = true;
						this.token = "token-" + this.joins.incrementAndGet();
						return json(res.status(201), "{\"participant\":{\"id\":\"p1\"},\"roomId\":\"" + this.roomId
								+ "\",\"participantToken\":\"" + this.token + "\"}");
					}))
					.post("/rooms/{code}/health", (req, res) -> {
						if (this.down) {
							return json(res.status(502), "{\"error\":\"Bad gateway\"}");
						}
						this.authorizations.add(String.valueOf(req.requestHeaders().get("Authorization")));
						if (!this.present) {
							return json(res.status(404), "{\"error\":\"Participant not found\"}");
						}
						this.beats.incrementAndGet();
						return json(res, "{\"success\":true}");
					})
					.get("/rooms", (req, res) -> json(res, "{\"rooms\":[{\"id\":\"" + this.roomId
							+ "\",\"code\":\"ABC123\"}]}"))
					.delete("/rooms/{code}/leave/{id}", (req, res) -> {
						this.left.add(req.param("id"));
						return json(res, "{\"success\":true}");
					}))
				.bindNow();
		}

		private static Mono<Void> json(HttpServerResponse response, String body) {
			return response.header("Content-Type", "application/json").sendString(Mono.just(body)).then();
		}

	}

}
