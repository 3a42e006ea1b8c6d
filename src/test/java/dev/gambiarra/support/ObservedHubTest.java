package dev.gambiarra.support;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One shared hub context for the events and observability tests: a real server on 127.0.0.1 with an admin token and
 * a small per-subscriber event buffer (32), and a {@link FakeLlm} per test class. Tests make their own rooms, so
 * they do not disturb each other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.events.subscriber-buffer=32", "gambiarra.admin-token=" + ObservedHubTest.ADMIN_TOKEN })
@AutoConfigureWebTestClient
public abstract class ObservedHubTest {

	public static final String ADMIN_TOKEN = "test-admin-token-1234";

	protected static FakeLlm llm;

	@Autowired
	protected WebTestClient client;

	@LocalServerPort
	protected int port;

	protected HubClient hub;

	@BeforeAll
	static void startLlm() {
		llm = FakeLlm.start();
	}

	@AfterAll
	static void stopLlm() {
		llm.close();
	}

	@BeforeEach
	void setUpClient() {
		this.client = this.client.mutate().responseTimeout(Duration.ofSeconds(15)).build();
		this.hub = new HubClient(this.client);
		llm.reset();
	}

}
