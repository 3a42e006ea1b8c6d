package dev.gambiarra.agent.provider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

import dev.gambiarra.outbound.EndpointPolicy;
import dev.gambiarra.outbound.TestPolicies;
import dev.gambiarra.proxy.RoomCompletions;
import dev.gambiarra.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

/** Which base URLs a client may name. */
class ProviderFactoryTests {

	private final ProviderFactory factory = factory(TestPolicies.defaults());

	/** A factory with the hub's default settings whose URLs go through {@code endpoints}. */
	static ProviderFactory factory(EndpointPolicy endpoints) {
		return new ProviderFactory(mock(RoomCompletions.class),
				ProviderChainTests.properties(3, java.time.Duration.ofSeconds(5)), JsonMapper.builder().build(),
				WebClient.builder(), endpoints, new TestClock());
	}

	@AfterEach
	void close() {
		this.factory.destroy();
	}

	@Test
	void acceptsHttpUrlsAndDropsTrailingSlashes() {
		assertThat(this.factory.baseUrl(" http://127.0.0.1:11434/v1/ ")).isEqualTo("http://127.0.0.1:11434/v1");
		assertThat(this.factory.baseUrl("https://api.example.com/v1")).isEqualTo("https://api.example.com/v1");
	}

	@Test
	void refusesOtherSchemesCredentialsAndMetadataAddresses() {
		for (String url : new String[] { "file:///etc/passwd", "ftp://host/v1", "http://user:pw@host/v1",
				"http://host/v1?key=1", "http://169.254.169.254/latest", "http://[fd00:ec2::254]/v1",
				"http://metadata.google.internal/v1", "not a url" }) {
			assertThatThrownBy(() -> this.factory.baseUrl(url)).as(url)
				.isInstanceOfSatisfying(ProviderException.class,
						(ex) -> assertThat(ex.code()).isEqualTo("invalid_provider"));
		}
	}

}
