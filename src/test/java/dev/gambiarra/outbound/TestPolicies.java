package dev.gambiarra.outbound;

import java.time.Duration;
import java.util.List;

import dev.gambiarra.config.SecurityProperties;

/** Endpoint policies for tests of the callers of {@link EndpointPolicy}. */
public final class TestPolicies {

	/** The default deny list: link-local and cloud metadata. */
	public static final List<String> DEFAULT_DENY = List.of("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128");

	private TestPolicies() {
	}

	/** The hub's default policy, host names resolved. */
	public static EndpointPolicy defaults() {
		return policy(DEFAULT_DENY, true);
	}

	/**
	 * A policy that also denies loopback but does not resolve host names when a URL is checked: {@code localhost}
	 * passes the check and only the address guard, at connect time, can refuse it. It stands in for a name that
	 * resolves to the metadata service once the check is done (DNS rebinding), which a test cannot make real DNS do.
	 */
	public static EndpointPolicy loopbackDeniedAtConnect() {
		return policy(List.of("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128", "127.0.0.0/8", "::1/128"), false);
	}

	private static EndpointPolicy policy(List<String> deny, boolean resolve) {
		return new EndpointPolicy(new SecurityProperties(deny, List.of(), resolve, Duration.ofSeconds(1), 10,
				Duration.ofMinutes(1), 100));
	}

}
