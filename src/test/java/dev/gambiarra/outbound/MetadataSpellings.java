package dev.gambiarra.outbound;

import java.util.List;

/**
 * Fifteen ways to write a link-local or cloud metadata address in a URL: dotted, IPv4-mapped, -compatible and NAT64
 * IPv6, expanded IPv6, a zone id, and the numeric hosts browsers and libc read as IPv4. Every caller of the
 * {@link EndpointPolicy} is tested against all of them ({@code @MethodSource(MetadataSpellings.URLS)}).
 */
public final class MetadataSpellings {

	/** The {@code @MethodSource} reference of {@link #urls()}. */
	public static final String URLS = "dev.gambiarra.outbound.MetadataSpellings#urls";

	private MetadataSpellings() {
	}

	public static List<String> urls() {
		return List.of("http://169.254.169.254", "http://169.254.169.254/latest/meta-data", "http://169.254.0.1:8080",
				"http://[::ffff:169.254.169.254]", "http://[::ffff:a9fe:a9fe]:80", "http://[::169.254.169.254]",
				"http://[64:ff9b::169.254.169.254]", "http://[fd00:ec2::254]", "http://[FD00:EC2:0:0:0:0:0:254]",
				"http://[fe80::1]:11434", "http://[fe80::1%25eth0]", "http://2852039166", "http://0xA9FEA9FE",
				"http://0251.0376.0251.0376", "http://169.254.43518");
	}

}
