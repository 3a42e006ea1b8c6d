package dev.gambiarra.shutdown;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import dev.gambiarra.GambiarraApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code server.address} binds the hub to one IPv4 or IPv6 address; /health answers there. */
class BindingTests {

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "::1" })
	void hubListensOnTheConfiguredAddress(String address) throws Exception {
		assumeTrue(canBind(address), () -> address + " is not available on this machine (IPv6 disabled?)");
		try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(GambiarraApplication.class)
			.run("--server.port=0", "--server.address=" + address)) {
			int port = ((WebServerApplicationContext) hub).getWebServer().getPort();
			InetAddress bound = InetAddress.getByName(address);
			String host = (bound.getAddress().length == 16) ? "[" + address + "]" : address;

			JsonNode health = WebClient.create()
				.get()
				.uri(URI.create("http://" + host + ":" + port + "/health"))
				.retrieve()
				.bodyToMono(JsonNode.class)
				.block(Duration.ofSeconds(10));

			assertThat(health).isNotNull();
			assertThat(health.path("status").asString()).isEqualTo("ok");
			assertThat(new InetSocketAddress(bound, port).getAddress().isLoopbackAddress()).isTrue();
		}
	}

	private static boolean canBind(String address) {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
			return socket.isBound();
		}
		catch (IOException ex) {
			return false;
		}
	}

}
