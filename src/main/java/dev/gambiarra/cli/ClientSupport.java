package dev.gambiarra.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

import dev.gambiarra.discovery.DiscoveredHub;
import dev.gambiarra.discovery.MdnsBrowser;
import dev.gambiarra.shell.CliException;

/**
 * What the one-shot client commands share: the hub they talk to ({@code --hub}, else {@code gambiarra.cli.hub};
 * {@code auto} asks mDNS), the process's one {@link CliHttp}, the LAN finder, and the guard that keeps long-running
 * commands out of the hub's console. The commands run on the CLI thread and block; a failure is a
 * {@link CliException} whose one line goes to stderr.
 */
@Component
class ClientSupport {

	static final String GROUP = "Client (one-shot: java -jar gambiarra.jar COMMAND ...)";

	static final String HUB_OPTION = "hub URL, or auto to find it on the LAN";

	/** {@code --hub auto}: find the hub on the LAN over mDNS. */
	static final String AUTO = "auto";

	private static final HubFinder NO_FINDER = new HubFinder() {

		@Override
		public Duration defaultTimeout() {
			return Duration.ofSeconds(6);
		}

		@Override
		public List<DiscoveredHub> discover(Duration timeout) {
			throw CliException.failure("LAN discovery is not available here");
		}

		@Override
		public Optional<DiscoveredHub> first(Duration timeout) {
			throw CliException.failure("LAN discovery is not available here");
		}

	};

	private final CliProperties properties;

	private final CliHttp http;

	private final boolean insideHub;

	private final HubFinder finder;

	private final Consumer<String> notices;

	@Autowired
	ClientSupport(CliProperties properties, CliHttp http, ApplicationContext context,
			ObjectProvider<MdnsBrowser> browser) {
		this(properties, http, context instanceof WebServerApplicationContext, HubFinder.of(browser),
				System.err::println);
	}

	ClientSupport(CliProperties properties, CliHttp http, boolean insideHub) {
		this(properties, http, insideHub, NO_FINDER, (line) -> {
		});
	}

	/**
	 * @param insideHub whether the commands run in the hub's own console
	 * @param finder finds hubs on the LAN for {@code discover} and {@code --hub auto}
	 * @param notices where side remarks go (which hub {@code --hub auto} chose): stderr, so stdout stays the
	 * command's output ({@code --json} included)
	 */
	ClientSupport(CliProperties properties, CliHttp http, boolean insideHub, HubFinder finder,
			Consumer<String> notices) {
		this.properties = properties;
		this.http = http;
		this.insideHub = insideHub;
		this.finder = finder;
		this.notices = notices;
	}

	CliProperties properties() {
		return this.properties;
	}

	HubFinder finder() {
		return this.finder;
	}

	/** Long-running client commands would hold the hub's console; they run as one-shot commands only. */
	void oneShotOnly(String command) {
		if (this.insideHub) {
			throw CliException.usage("'" + command + "' runs as a one-shot command: java -jar gambiarra.jar "
					+ command + " ...");
		}
	}

	boolean insideHub() {
		return this.insideHub;
	}

	/** The hub a command talks to: {@code --hub} (or its default, {@link #hubUrl}), checked to be an http(s) URL. */
	Remote hub(@Nullable String hub) {
		String url = hubUrl(hub);
		if (!url.startsWith("http://") && !url.startsWith("https://")) {
			throw CliException.usage("--hub must be an http(s) URL such as http://192.168.1.10:3000");
		}
		return this.http.at(url);
	}

	/** Any other server (an LLM endpoint), same client and timeouts. */
	Remote remote(String base) {
		return this.http.at(base);
	}

	/**
	 * The hub URL a command talks to: {@code --hub}, else {@code gambiarra.cli.hub}; {@code auto} (in either) is the
	 * first hub mDNS finds within {@code gambiarra.mdns.browse-timeout}, named on the notices stream.
	 */
	String hubUrl(@Nullable String hub) {
		String url = (hub == null || hub.isBlank()) ? this.properties.hub() : hub.strip();
		if (!url.equalsIgnoreCase(AUTO)) {
			return url;
		}
		Duration listen = this.finder.defaultTimeout();
		DiscoveredHub found = search(() -> this.finder.first(listen)).orElseThrow(() -> CliException
			.failure(noHubMessage(listen) + "; pass --hub URL instead of auto"));
		this.notices.accept("Using hub " + found.name() + " at " + found.url() + " (found by mDNS)");
		return found.url().toString();
	}

	/** Runs a LAN search, turning a network failure (no multicast, bad gambiarra.mdns.interface) into one line. */
	static <T> T search(Supplier<T> search) {
		try {
			return search.get();
		}
		catch (CliException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw CliException.failure("LAN discovery (mDNS) failed: " + rootMessage(ex));
		}
	}

	static String noHubMessage(Duration listened) {
		return "No Gambiarra hub found on the network within " + seconds(listened) + " s";
	}

	/** A duration in seconds as people write it: {@code 6}, {@code 1.5}. */
	static String seconds(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? Long.toString(millis / 1000)
				: BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
	}

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	/** Runs {@code body} with {@code hook} registered as a shutdown hook (Ctrl+C, SIGTERM), removed afterwards. */
	static void withShutdownHook(Thread hook, Runnable body) {
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			body.run();
		}
		finally {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException ex) {
				// already shutting down
			}
		}
	}

}
