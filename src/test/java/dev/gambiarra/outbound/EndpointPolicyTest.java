package dev.gambiarra.outbound;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import dev.gambiarra.config.SecurityProperties;
import dev.gambiarra.web.HubException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which endpoints a participant may register: the hub must not become a way into the cloud metadata service. */
class EndpointPolicyTest {

	static final List<String> DEFAULT_DENY = List.of("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128");

	private static EndpointPolicy policy(List<String> allow) {
		return new EndpointPolicy(new SecurityProperties(DEFAULT_DENY, allow, true, Duration.ofSeconds(2), 10,
				Duration.ofMinutes(1), 100));
	}

	@ParameterizedTest
	@MethodSource(MetadataSpellings.URLS)
	void linkLocalAndMetadataAddressesAreRefusedInEverySpelling(String endpoint) {
		assertThatThrownBy(() -> policy(List.of()).check(endpoint)).isInstanceOf(HubException.class)
			.hasMessageStartingWith("Invalid endpoint");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://10.0.0.1", "file:///etc/passwd", "http://", "http://user:pw@10.0.0.1",
			"http://10.0.0.1?x=1", "http://10.0.0.1#frag", "10.0.0.1:11434", "javascript:alert(1)" })
	void onlyPlainHttpUrlsAreAccepted(String endpoint) {
		assertThatThrownBy(() -> policy(List.of()).check(endpoint)).isInstanceOf(HubException.class)
			.hasMessage("Invalid endpoint: must be an http(s) URL such as http://192.168.1.10:11434");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:11434", "https://192.168.1.10:1234/", "http://[::1]:8080",
			"http://10.1.2.3", "http://my-laptop.local:11434", "HTTP://LOCALHOST:11434" })
	void ordinaryLanAndLoopbackEndpointsAreAccepted(String endpoint) {
		assertThat(policy(List.of()).check(endpoint)).doesNotEndWith("/");
	}

	@Test
	void anAllowListAdmitsOnlyItsNetworks() {
		EndpointPolicy policy = policy(List.of("192.168.1.0/24", "::1/128"));
		assertThat(policy.check("http://192.168.1.77:11434")).isEqualTo("http://192.168.1.77:11434");
		assertThat(policy.check("http://[::1]:8080")).isEqualTo("http://[::1]:8080");
		assertThatThrownBy(() -> policy.check("http://192.168.2.1")).isInstanceOf(HubException.class)
			.hasMessage("Invalid endpoint: this address is not allowed on this hub");
		assertThatThrownBy(() -> policy.check("http://10.0.0.1")).isInstanceOf(HubException.class);
	}

	@Test
	void theDenyListWinsOverTheAllowList() {
		EndpointPolicy policy = policy(List.of("0.0.0.0/0"));
		assertThatThrownBy(() -> policy.check("http://169.254.169.254")).isInstanceOf(HubException.class);
		assertThat(policy.check("http://8.8.8.8")).isEqualTo("http://8.8.8.8");
	}

	@Test
	void hostNamesAreResolvedOffTheEventLoopAndEveryAddressChecked() {
		StepVerifier.create(policy(List.of()).checkAddresses("http://localhost:11434")).verifyComplete();
		StepVerifier.create(policy(List.of("10.0.0.0/8")).checkAddresses("http://localhost:11434"))
			.expectErrorMatches((ex) -> ex.getMessage().equals("Invalid endpoint: this address is not allowed on this hub"))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void aHostThatDoesNotResolveIsAcceptedOnlyWithoutAnAllowList() {
		String unknown = "http://no-such-host.invalid:11434";
		StepVerifier.create(policy(List.of()).checkAddresses(unknown)).verifyComplete();
		StepVerifier.create(policy(List.of("10.0.0.0/8")).checkAddresses(unknown))
			.expectError(HubException.class)
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void cidrsMatchByPrefix() {
		assertThat(Cidr.parse("10.0.0.0/8").contains(IpLiterals.parse("10.255.0.1"))).isTrue();
		assertThat(Cidr.parse("10.0.0.0/8").contains(IpLiterals.parse("11.0.0.1"))).isFalse();
		assertThat(Cidr.parse("192.168.1.128/25").contains(IpLiterals.parse("192.168.1.200"))).isTrue();
		assertThat(Cidr.parse("192.168.1.128/25").contains(IpLiterals.parse("192.168.1.127"))).isFalse();
		assertThat(Cidr.parse("fe80::/10").contains(IpLiterals.parse("febf::1"))).isTrue();
		assertThat(Cidr.parse("fe80::/10").contains(IpLiterals.parse("fec0::1"))).isFalse();
		assertThat(Cidr.parse("10.0.0.0/8").contains(IpLiterals.parse("::1"))).isFalse();
		assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
	}

}
