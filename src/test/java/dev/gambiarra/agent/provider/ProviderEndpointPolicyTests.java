package dev.gambiarra.agent.provider;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;

import dev.gambiarra.outbound.AddressGuard;
import dev.gambiarra.outbound.MetadataSpellings;
import dev.gambiarra.outbound.TestPolicies;
import dev.gambiarra.support.FakeLlm;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's model servers pass the same endpoint policy as participant endpoints: every spelling of the metadata
 * service the proxy refuses, the agent refuses; and its HTTP client checks the resolved address at connect time.
 */
class ProviderEndpointPolicyTests {

	@RegisterExtension
	static final FakeLlm llm = FakeLlm.start();

	private ProviderFactory factory = ProviderFactoryTests.factory(TestPolicies.defaults());

	@AfterEach
	void close() {
		this.factory.destroy();
	}

	private static ProviderSpec openAi(String baseUrl) {
		return new ProviderSpec("openai", null, "m", null, baseUrl, null);
	}

	@ParameterizedTest
	@MethodSource(MetadataSpellings.URLS)
	void aMetadataAddressIsRefusedInEverySpelling(String url) {
		StepVerifier.create(this.factory.create(openAi(url), "10.0.0.1"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ProviderException.class,
					(refused) -> assertThat(refused.code()).isEqualTo("invalid_provider")))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void aNameThatResolvesToADeniedAddressIsRefusedWhenTheConnectionOpens() {
		this.factory.destroy();
		this.factory = ProviderFactoryTests.factory(TestPolicies.loopbackDeniedAtConnect());
		int before = llm.received().size();
		ChatProvider provider = this.factory.create(openAi("http://localhost:" + llm.port() + "/v1"), "10.0.0.1")
			.block(Duration.ofSeconds(5));
		assertThat(provider).as("the name passes the check; its address is only known at connect").isNotNull();
		StepVerifier.create(provider.stream(List.of(ChatMessage.user("hi"))))
			.expectErrorSatisfies((ex) -> {
				assertThat(ex).hasRootCauseInstanceOf(AddressGuard.RefusedAddressException.class);
				assertThat(ProviderChain.describe(ex)).isEqualTo("address not allowed on this hub");
			})
			.verify(Duration.ofSeconds(10));
		assertThat(llm.received()).as("no request reached the server").hasSize(before);
	}

	@Test
	void anAllowedServerIsReachedThroughTheSameGuard() {
		ChatProvider provider = this.factory.create(openAi(llm.endpoint() + "/v1"), "10.0.0.1")
			.block(Duration.ofSeconds(5));
		StepVerifier.create(provider.stream(List.of(ChatMessage.user("hi"))).collectList())
			.assertNext((deltas) -> assertThat(String.join("", deltas)).isNotEmpty())
			.verifyComplete();
	}

}
