package dev.gambiarra.tunnel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The host of the default {@code gambiarra.store.redis.advertise-url}. */
class AdvertiseAddressTest {

	@Test
	void aHubBoundToOneAddressAdvertisesThatAddress() {
		assertThat(RedisTunnelOwners.hostFor("127.0.0.1")).isEqualTo("127.0.0.1");
		assertThat(RedisTunnelOwners.hostFor("::1")).isEqualTo("[0:0:0:0:0:0:0:1]");
	}

	@Test
	void aHubBoundToEveryAddressAdvertisesAnAddressOthersCanDial() {
		for (String wildcard : new String[] { null, "", "0.0.0.0", "::" }) {
			String host = RedisTunnelOwners.hostFor(wildcard);
			assertThat(host).isNotIn("0.0.0.0", "[0:0:0:0:0:0:0:0]", "[::]").isNotBlank();
			assertThat(host.startsWith("[fe80") || host.startsWith("169.254.")).isFalse();
		}
	}

}
