package dev.gambiarra.discovery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;

import javax.jmdns.ServiceInfo;

import org.jspecify.annotations.Nullable;

/**
 * A hub found on the LAN.
 *
 * @param name its mDNS service name, e.g. {@code gambiarra-hub-3000}
 * @param url its base URL, built from the advertised address, port and TXT {@code protocol} and {@code path},
 * e.g. {@code http://192.168.1.20:3000/}
 * @param version the hub's version from TXT {@code version}
 */
public record DiscoveredHub(String name, URI url, String version) {

	/** The hub a fully resolved service describes; empty while its TXT keys, port or address are missing. */
	static Optional<DiscoveredHub> from(ServiceInfo info) {
		String version = info.getPropertyString(MdnsPublisher.TXT_VERSION);
		String protocol = info.getPropertyString(MdnsPublisher.TXT_PROTOCOL);
		String path = info.getPropertyString(MdnsPublisher.TXT_PATH);
		InetAddress address = address(info);
		if (version == null || protocol == null || path == null || address == null || info.getPort() <= 0) {
			return Optional.empty();
		}
		String host = (address instanceof Inet6Address) ? "[" + withoutZone(address.getHostAddress()) + "]"
				: address.getHostAddress();
		String normalizedPath = path.startsWith("/") ? path : "/" + path;
		try {
			URI url = URI.create(protocol + "://" + host + ":" + info.getPort() + normalizedPath);
			return Optional.of(new DiscoveredHub(info.getName(), url, version));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/** An IPv4 address when the hub advertises one (they make the simplest URLs), otherwise IPv6. */
	private static @Nullable InetAddress address(ServiceInfo info) {
		Inet4Address[] ipv4 = info.getInet4Addresses();
		if (ipv4.length > 0) {
			return ipv4[0];
		}
		for (Inet6Address address : info.getInet6Addresses()) {
			if (!address.isLinkLocalAddress()) {
				return address;
			}
		}
		return null;
	}

	private static String withoutZone(String address) {
		int zone = address.indexOf('%');
		return (zone < 0) ? address : address.substring(0, zone);
	}

}
