package dev.gambiarra.discovery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;

import javax.jmdns.ServiceInfo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/** A resolved mDNS service becomes a hub only with every TXT key, a port and a usable address. */
class DiscoveredHubTests {

	private static final Map<String, String> TXT = Map.of("version", "1.2.3", "protocol", "http", "path", "/");

	@Test
	void fullyResolvedServiceBecomesHubWithItsBaseUrl() throws Exception {
		ServiceInfo info = service(TXT, 3000, InetAddress.getByName("192.168.1.20"));

		assertThat(DiscoveredHub.from(info))
			.contains(new DiscoveredHub("gambiarra-hub-3000", URI.create("http://192.168.1.20:3000/"), "1.2.3"));
	}

	@Test
	void resolutionWithoutTxtDoesNotCountYet() throws Exception {
		ServiceInfo info = service(Map.of(), 3000, InetAddress.getByName("192.168.1.20"));

		assertThat(DiscoveredHub.from(info)).isEmpty();
	}

	@Test
	void resolutionMissingOneTxtKeyDoesNotCount() throws Exception {
		ServiceInfo info = service(Map.of("version", "1.2.3", "protocol", "http"), 3000,
				InetAddress.getByName("192.168.1.20"));

		assertThat(DiscoveredHub.from(info)).isEmpty();
	}

	@Test
	void ipv6OnlyHubGetsBracketedUrl() throws Exception {
		ServiceInfo info = service(TXT, 3000, InetAddress.getByName("fd00::20"));

		assertThat(DiscoveredHub.from(info)).hasValueSatisfying(
				(hub) -> assertThat(hub.url()).isEqualTo(URI.create("http://[fd00:0:0:0:0:0:0:20]:3000/")));
	}

	@Test
	void serviceWithoutAddressOrPortDoesNotCount() throws Exception {
		assertThat(DiscoveredHub.from(service(TXT, 3000, null))).isEmpty();
		assertThat(DiscoveredHub.from(service(TXT, 0, InetAddress.getByName("192.168.1.20")))).isEmpty();
	}

	private static ServiceInfo service(Map<String, String> txt, int port, InetAddress address) {
		ServiceInfo info = mock(ServiceInfo.class);
		given(info.getName()).willReturn("gambiarra-hub-" + port);
		given(info.getPort()).willReturn(port);
		txt.forEach((key, value) -> given(info.getPropertyString(key)).willReturn(value));
		given(info.getInet4Addresses()).willReturn(
				(address instanceof Inet4Address ipv4) ? new Inet4Address[] { ipv4 } : new Inet4Address[0]);
		given(info.getInet6Addresses()).willReturn(
				(address instanceof Inet6Address ipv6) ? new Inet6Address[] { ipv6 } : new Inet6Address[0]);
		return info;
	}

}
