package dev.gambiarra.discovery;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** Turns {@code gambiarra.mdns.interface} into the address jmDNS binds to. Blocking: call off the event loop. */
final class MdnsAddresses {

	private MdnsAddresses() {
	}

	/**
	 * The address to run mDNS on: {@code null} (jmDNS picks the machine's main address) when nothing is configured,
	 * the first IPv4 address (else any address) of a named interface, or the configured address itself.
	 */
	static @Nullable InetAddress resolve(@Nullable String configured) throws IOException {
		if (configured == null || configured.isBlank()) {
			return null;
		}
		String value = configured.strip();
		NetworkInterface named = NetworkInterface.getByName(value);
		if (named != null) {
			List<InetAddress> addresses = new ArrayList<>(Collections.list(named.getInetAddresses()));
			if (addresses.isEmpty()) {
				throw new IOException("Network interface " + value + " has no address");
			}
			return addresses.stream()
				.filter(Inet4Address.class::isInstance)
				.findFirst()
				.orElse(addresses.get(0));
		}
		if (!looksLikeAddress(value)) {
			throw new IOException("gambiarra.mdns.interface is neither an interface name nor an IP address: " + value);
		}
		InetAddress address = InetAddress.getByName(value);
		if (NetworkInterface.getByInetAddress(address) == null) {
			throw new IOException("No network interface of this machine has the address " + value);
		}
		return address;
	}

	/** An IP literal, so {@link InetAddress#getByName} never sends a DNS query for it. */
	private static boolean looksLikeAddress(String value) {
		return value.indexOf(':') >= 0 || value.chars().allMatch((c) -> c == '.' || Character.isDigit(c));
	}

}
