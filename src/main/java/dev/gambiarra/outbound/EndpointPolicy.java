package dev.gambiarra.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

import org.springframework.stereotype.Component;

import dev.gambiarra.config.SecurityProperties;
import dev.gambiarra.outbound.RefusedEndpointException.Reason;

/**
 * Which URLs the hub agrees to call: participant endpoints and the agent's provider base URLs alike. A URL must be
 * an {@code http(s)} URL; its address must not be in the deny list (link-local and cloud metadata by default) and,
 * when an allow list is configured, must be in it. IP literals are checked at once; the well-known metadata names
 * are refused without a lookup; any other host name is resolved off the event loop with a timeout and every
 * address it resolves to is checked. A name that does not resolve is accepted when no allow list is configured (a
 * laptop's {@code .local} name may only resolve on the participant's side) and refused when one is. Every client
 * that connects to such a URL carries the {@link #guard(HttpClient) address guard}, which checks the address again
 * when the connection opens.
 */
@Component
public class EndpointPolicy {

	private static final Logger logger = LoggerFactory.getLogger(EndpointPolicy.class);

	/** Cloud metadata services by name: refused even where they would not resolve from here. */
	private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata");

	private final List<Cidr> deny;

	private final List<Cidr> allow;

	private final boolean resolve;

	private final Duration resolveTimeout;

	private final AddressGuard guard = new AddressGuard(this);

	public EndpointPolicy(SecurityProperties properties) {
		this.deny = properties.endpointDenyList().stream().filter((s) -> !s.isBlank()).map(Cidr::parse).toList();
		this.allow = properties.endpointAllowList().stream().filter((s) -> !s.isBlank()).map(Cidr::parse).toList();
		this.resolve = properties.resolveEndpointHosts();
		this.resolveTimeout = properties.resolveTimeout();
	}

	/**
	 * The URL as stored: trimmed, without a trailing slash; refused ({@link RefusedEndpointException}) unless it is
	 * an http(s) URL whose literal address (if it is one) is allowed. Host names are checked by
	 * {@link #checkAddresses(String)}.
	 */
	public String check(String endpoint) {
		String trimmed = endpoint.strip();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		String host = hostOf(trimmed);
		if (IpLiterals.isAmbiguousNumeric(host)) {
			throw new RefusedEndpointException(Reason.AMBIGUOUS_NUMBER);
		}
		if (METADATA_HOSTS.contains(host)) {
			throw refused();
		}
		if (IpLiterals.isLiteral(host)) {
			try {
				checkAddress(IpLiterals.parse(host));
			}
			catch (IllegalArgumentException ex) {
				throw invalid();
			}
		}
		else if (!this.allow.isEmpty() && !this.resolve) {
			throw refused();
		}
		return trimmed;
	}

	/** Completes when the URL's host name (if it has one) resolves only to allowed addresses. */
	public Mono<Void> checkAddresses(String endpoint) {
		String host = hostOf(endpoint);
		if (IpLiterals.isLiteral(host) || !this.resolve) {
			return Mono.empty();
		}
		return Mono.fromCallable(() -> InetAddress.getAllByName(host))
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(this.resolveTimeout)
			.doOnNext((addresses) -> {
				for (InetAddress address : addresses) {
					checkAddress(address);
				}
			})
			.onErrorResume((ex) -> ex instanceof UnknownHostException || ex instanceof TimeoutException, (ex) -> {
				if (!this.allow.isEmpty()) {
					return Mono.error(refused());
				}
				logger.debug("Endpoint host {} does not resolve from the hub; accepted", host);
				return Mono.empty();
			})
			.then();
	}

	/**
	 * Whether the hub may connect to this address. The {@link AddressGuard} asks again for every connection it opens,
	 * with the address DNS gave at that moment, so a name that re-resolves to a denied address after the check is
	 * still refused.
	 */
	public boolean allows(InetAddress address) {
		for (Cidr network : this.deny) {
			if (network.contains(address)) {
				return false;
			}
		}
		return this.allow.isEmpty() || this.allow.stream().anyMatch((network) -> network.contains(address));
	}

	/** {@code client} with the {@link AddressGuard} on every connection it opens. */
	public HttpClient guard(HttpClient client) {
		return client.doOnChannelInit((observer, channel, remote) -> guard(channel));
	}

	/** {@code channel}, about to connect, with the {@link AddressGuard} first in its pipeline. */
	public void guard(Channel channel) {
		channel.pipeline().addFirst(AddressGuard.NAME, this.guard);
	}

	private void checkAddress(InetAddress address) {
		if (!allows(address)) {
			throw refused();
		}
	}

	private static String hostOf(String endpoint) {
		URI uri;
		try {
			uri = new URI(endpoint);
		}
		catch (URISyntaxException ex) {
			throw invalid();
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		@Nullable String host = uri.getHost();
		if (!(scheme.equals("http") || scheme.equals("https")) || host == null || host.isEmpty()
				|| uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
			throw invalid();
		}
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
			int zone = host.indexOf('%');
			if (zone >= 0) {
				// A zone names an interface of the caller's machine; the address alone decides.
				host = host.substring(0, zone);
			}
		}
		return host.toLowerCase(Locale.ROOT);
	}

	private static RefusedEndpointException invalid() {
		return new RefusedEndpointException(Reason.NOT_HTTP_URL);
	}

	private static RefusedEndpointException refused() {
		return new RefusedEndpointException(Reason.NOT_ALLOWED);
	}

}
