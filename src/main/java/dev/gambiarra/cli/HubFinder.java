package dev.gambiarra.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;

import dev.gambiarra.discovery.DiscoveredHub;
import dev.gambiarra.discovery.MdnsBrowser;

/**
 * How the client commands find hubs on the LAN ({@code discover}, {@code --hub auto}). Blocking: called on the CLI
 * thread only. Tests give the commands a fake one; the real one is the {@link MdnsBrowser}.
 */
interface HubFinder {

	/** How long to listen when the user gives no timeout. */
	Duration defaultTimeout();

	/** Every hub found within {@code timeout}. */
	List<DiscoveredHub> discover(Duration timeout);

	/** The first hub found, as soon as it answers; empty when none does within {@code timeout}. */
	Optional<DiscoveredHub> first(Duration timeout);

	/**
	 * The {@link MdnsBrowser} bean, looked up only when a command asks: jmDNS starts when a search starts, never for
	 * commands that do not search.
	 */
	static HubFinder of(ObjectProvider<MdnsBrowser> browser) {
		return new HubFinder() {

			@Override
			public Duration defaultTimeout() {
				return browser.getObject().defaultTimeout();
			}

			@Override
			public List<DiscoveredHub> discover(Duration timeout) {
				return browser.getObject().discover(timeout);
			}

			@Override
			public Optional<DiscoveredHub> first(Duration timeout) {
				return browser.getObject().first(timeout);
			}

		};
	}

}
