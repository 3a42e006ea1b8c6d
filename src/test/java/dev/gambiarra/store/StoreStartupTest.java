package dev.gambiarra.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.support.Hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Redis unreachable when a hub starts: it says so and stops, or, when asked to, starts alone in memory. */
@ExtendWith(OutputCaptureExtension.class)
class StoreStartupTest {

	@Test
	void aHubWhoseRedisIsUnreachableSaysSoAndDoesNotStart(CapturedOutput output) throws IOException {
		String url = "redis://127.0.0.1:" + closedPort();
		assertThatThrownBy(() -> start(url, false)).satisfies((ex) -> {
			Throwable cause = ex;
			while (cause != null && !(cause instanceof StoreUnavailableException)) {
				cause = cause.getCause();
			}
			assertThat(cause).isInstanceOf(StoreUnavailableException.class);
			assertThat(cause.getMessage()).startsWith("Redis at " + url + " is unreachable");
		});
		assertThat(output.getAll()).contains("Redis at " + url + " is unreachable")
			.contains("the hub cannot start")
			.contains("gambiarra.store.redis.fallback-to-memory=true");
	}

	@Test
	void withFallbackToMemoryItStartsAloneInMemoryAndWarnsLoudly(CapturedOutput output) throws IOException {
		String url = "redis://127.0.0.1:" + closedPort();
		try (ConfigurableApplicationContext hub = start(url, true)) {
			assertThat(hub.getBean(RoomService.class).sharedStore()).isFalse();
			assertThat(output.getAll()).contains("Redis at " + url + " is unreachable").contains("IN-MEMORY store");
		}
	}

	private static ConfigurableApplicationContext start(String url, boolean fallback) {
		return Hub.builder().run("--server.port=0",
				"--server.address=127.0.0.1", "--gambiarra.demo.enabled=false", "--gambiarra.mdns.enabled=false",
				"--gambiarra.console.enabled=false", "--gambiarra.store.type=redis",
				"--gambiarra.store.redis.url=" + url, "--gambiarra.store.redis.timeout=1s",
				"--gambiarra.store.redis.fallback-to-memory=" + fallback);
	}

	/** A loopback port nothing listens on. */
	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
