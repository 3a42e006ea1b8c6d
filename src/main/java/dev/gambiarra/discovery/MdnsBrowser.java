package dev.gambiarra.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceListener;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;

/**
 * Finds Gambiarra hubs on the LAN. A hub counts once mDNS has resolved it <em>with</em> its TXT keys
 * ({@code version}, {@code protocol}, {@code path}): the first resolution often arrives without them.
 * <p>
 * Reactive callers use {@link #browse(Duration)}. Blocking callers (one-shot CLI commands on the main thread) use
 * {@link #discover(Duration)} or {@link #first(Duration)}; never call those on an event loop.
 */
@Component
public class MdnsBrowser {

	private static final Logger logger = LoggerFactory.getLogger(MdnsBrowser.class);

	private final MdnsProperties properties;

	MdnsBrowser(MdnsProperties properties) {
		this.properties = properties;
	}

	/** How long {@link #discover()} and {@link #first()} listen: {@code gambiarra.mdns.browse-timeout}. */
	public Duration defaultTimeout() {
		return this.properties.browseTimeout();
	}

	/**
	 * Hubs as they are found, each once, until {@code timeout} has passed; then completes. Cancelling stops the
	 * search. jmDNS runs on {@code boundedElastic} and is closed when the flux ends.
	 */
	public Flux<DiscoveredHub> browse(Duration timeout) {
		return Flux.<DiscoveredHub>create(this::listen)
			.subscribeOn(Schedulers.boundedElastic())
			.take(timeout, Schedulers.parallel());
	}

	/** Blocking: every hub found within {@code timeout}, in the order they were found. */
	public List<DiscoveredHub> discover(Duration timeout) {
		List<DiscoveredHub> hubs = browse(timeout).collectList().block();
		return (hubs != null) ? hubs : List.of();
	}

	/** Blocking: every hub found within the configured browse timeout. */
	public List<DiscoveredHub> discover() {
		return discover(defaultTimeout());
	}

	/** Blocking: the first hub found, as soon as it is found; empty when none answers within {@code timeout}. */
	public Optional<DiscoveredHub> first(Duration timeout) {
		return browse(timeout).next().blockOptional();
	}

	/** Blocking: the first hub found within the configured browse timeout. */
	public Optional<DiscoveredHub> first() {
		return first(defaultTimeout());
	}

	private void listen(FluxSink<DiscoveredHub> sink) {
		JmDNS jmdns;
		try {
			InetAddress address = MdnsAddresses.resolve(this.properties.networkInterface());
			jmdns = JmDNS.create(address, "gambiarra-browser-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()));
		}
		catch (IOException | RuntimeException ex) {
			sink.error(ex);
			return;
		}
		Resolver resolver = new Resolver(sink);
		sink.onDispose(() -> Schedulers.boundedElastic().schedule(() -> close(jmdns, resolver)));
		jmdns.addServiceListener(MdnsPublisher.SERVICE_TYPE, resolver);
	}

	private static void close(JmDNS jmdns, ServiceListener listener) {
		try {
			jmdns.removeServiceListener(MdnsPublisher.SERVICE_TYPE, listener);
			jmdns.close();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Closing the mDNS browser failed", ex);
		}
	}

	/** Asks for each service's details and emits a hub once they carry every TXT key. Runs on jmDNS threads. */
	private static final class Resolver implements ServiceListener {

		private final FluxSink<DiscoveredHub> sink;

		private final Set<String> found = ConcurrentHashMap.newKeySet();

		Resolver(FluxSink<DiscoveredHub> sink) {
			this.sink = sink;
		}

		@Override
		public void serviceAdded(ServiceEvent event) {
			// Asynchronous: the details come back through serviceResolved. A short wait keeps jmDNS's
			// listener thread free for the next service.
			event.getDNS().requestServiceInfo(event.getType(), event.getName(), 1);
		}

		@Override
		public void serviceRemoved(ServiceEvent event) {
		}

		@Override
		public void serviceResolved(ServiceEvent event) {
			@Nullable DiscoveredHub hub = DiscoveredHub.from(event.getInfo()).orElse(null);
			if (hub != null && this.found.add(event.getInfo().getQualifiedName())) {
				this.sink.next(hub);
			}
		}

	}

}
