package dev.gambiarra.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A network in CIDR notation ({@code 10.0.0.0/8}, {@code fd00:ec2::254/128}); a bare address means a single host.
 * Matching normalizes IPv6 forms that embed an IPv4 address (mapped {@code ::ffff:a.b.c.d}, compatible
 * {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d}), so a v4 rule also catches those spellings.
 * <p>
 * Why not Spring Security's {@code IpAddressMatcher}: it returns {@code false} as soon as the candidate's address
 * class differs from the rule's, then compares raw bytes, so the IPv4-compatible and NAT64 spellings of
 * {@code 169.254.169.254} (both {@code Inet6Address}) would slip past {@code 169.254.0.0/16}; only the mapped form
 * is caught, because {@code InetAddress} itself turns it into an {@code Inet4Address}. It would also bring in
 * {@code spring-security-web} and {@code spring-security-core} for one class. The unwrapping below is the part that
 * matters, and a matcher would still need it.
 */
record Cidr(String text, byte[] network, int prefix) {

	private static final byte[] NAT64_PREFIX = { 0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };

	static Cidr parse(String text) {
		String spec = text.strip();
		int slash = spec.indexOf('/');
		String address = (slash >= 0) ? spec.substring(0, slash) : spec;
		if (!IpLiterals.isLiteral(address)) {
			throw new IllegalArgumentException("Not a CIDR network: " + text);
		}
		byte[] network = IpLiterals.parse(address).getAddress();
		int prefix = network.length * 8;
		if (slash >= 0) {
			try {
				prefix = Integer.parseInt(spec.substring(slash + 1));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("Not a CIDR network: " + text);
			}
		}
		if (prefix < 0 || prefix > network.length * 8) {
			throw new IllegalArgumentException("Not a CIDR network: " + text);
		}
		return new Cidr(spec, network, prefix);
	}

	boolean contains(InetAddress candidate) {
		byte[] address = embeddedIpv4(candidate).getAddress();
		if (address.length != this.network.length) {
			return false;
		}
		int full = this.prefix / 8;
		for (int i = 0; i < full; i++) {
			if (address[i] != this.network[i]) {
				return false;
			}
		}
		int rest = this.prefix % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xff << (8 - rest)) & 0xff;
		return (address[full] & mask) == (this.network[full] & mask);
	}

	/** The IPv4 address an IPv6 address carries (mapped, compatible or NAT64), else the address itself. */
	static InetAddress embeddedIpv4(InetAddress address) {
		if (!(address instanceof Inet6Address)) {
			return address;
		}
		byte[] bytes = address.getAddress();
		boolean zeros80 = allZero(bytes, 0, 10);
		boolean mapped = zeros80 && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
		boolean compatible = zeros80 && bytes[10] == 0 && bytes[11] == 0 && !allZero(bytes, 12, 15);
		boolean nat64 = Arrays.equals(bytes, 0, 12, NAT64_PREFIX, 0, 12);
		if (!(mapped || compatible || nat64)) {
			return address;
		}
		try {
			return Inet4Address.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
		}
		catch (UnknownHostException ex) {
			return address;
		}
	}

	private static boolean allZero(byte[] bytes, int from, int to) {
		for (int i = from; i < to; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return true;
	}

	@Override
	public String toString() {
		return this.text;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Cidr cidr && cidr.text.equals(this.text);
	}

	@Override
	public int hashCode() {
		return this.text.hashCode();
	}

}
