package dev.gambiarra.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.Hub;
import dev.gambiarra.support.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With the Redis store, a hub restart does not make the CLI's {@code join} join again: its token still works. */
class JoinAcrossRestartTest {

	private final FakeLlm upstream = FakeLlm.start();

	private Hub hub;

	private JoinSession session;

	@AfterEach
	void stop() {
		if (this.session != null) {
			this.session.stop(Duration.ofSeconds(5));
		}
		if (this.hub != null) {
			this.hub.close();
		}
		this.upstream.close();
	}

	@Test
	void joinKeepsHeartBeatingThroughAHubRestartWithoutJoiningAgain() throws IOException {
		int port = freePort();
		String prefix = "cli-" + UUID.randomUUID() + ":";
		this.hub = Hub.onRedis(RedisServer.shared().url(), prefix, "server.port=" + port);
		String code = this.hub.api().createRoom("restart").code();
		Remote http = new CliHttp(new CliProperties("http://localhost:3000", Duration.ofSeconds(2),
				Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2),
				Duration.ofSeconds(60)))
			.at("http://127.0.0.1:" + port);
		this.session = new JoinSession(http, code, Map.of("id", "cli-llm", "nickname", "cli", "model", "m",
				"endpoint", this.upstream.endpoint()), null, Duration.ofMillis(100), new PrintWriter(new StringWriter()));
		this.session.join();
		Thread beating = new Thread(this.session::run, "join-session");
		beating.setDaemon(true);
		beating.start();

		this.hub.close();
		this.hub = Hub.onRedis(RedisServer.shared().url(), prefix, "server.port=" + port);
		long restarted = System.currentTimeMillis();

		await().atMost(Duration.ofSeconds(15)).until(() -> this.hub.get("/rooms/" + code + "/participants")
			.get("participants")
			.get(0)
			.get("lastSeen")
			.asLong() > restarted);
		assertThat(this.session.rejoins()).isZero();
		assertThat(this.hub.get("/rooms/" + code + "/participants").get("participants")).hasSize(1);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
