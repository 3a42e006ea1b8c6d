package dev.gambiarra.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Recognizes IP address literals without ever touching DNS. */
final class IpLiterals {

	private static final Pattern DOTTED_QUAD = Pattern
		.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z._-]+)?");

	/** Things browsers and libc read as IPv4 although they are not dotted quads: {@code 2852039166}, {@code 0xA9.0}. */
	private static final Pattern NUMERIC_HOST = Pattern.compile("(0[xX][0-9A-Fa-f]*|\\d+)(\\.(0[xX][0-9A-Fa-f]*|\\d*))*");

	private IpLiterals() {
	}

	static boolean isLiteral(String host) {
		return DOTTED_QUAD.matcher(host).matches() || (host.contains(":") && IPV6.matcher(host).matches());
	}

	/** A host made only of numbers that is not a canonical dotted quad: ambiguous, so refused. */
	static boolean isAmbiguousNumeric(String host) {
		return !DOTTED_QUAD.matcher(host).matches() && NUMERIC_HOST.matcher(host).matches();
	}

	/** Parses a literal; {@link InetAddress#getByName} does no lookup for one. */
	static InetAddress parse(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("Not an IP address: " + literal, ex);
		}
	}

}
