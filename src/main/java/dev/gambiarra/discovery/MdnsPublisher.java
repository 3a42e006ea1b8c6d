package dev.gambiarra.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Publishes the running hub on the LAN as {@code gambiarra-hub-<port>._gambiarra._tcp.local.} with TXT
 * {@code version}, {@code protocol=http} and {@code path=/}, and withdraws it on shutdown. It uses the port the web
 * server actually bound (so {@code server.port=0} works); it starts after the web server and stops before it.
 * Registration blocks while mDNS probes for name conflicts (a second name gets a suffix); it runs on
 * {@code boundedElastic} so startup does not wait for it.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(prefix = "gambiarra.mdns", name = "enabled", havingValue = "true")
public class MdnsPublisher implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent> {

	public static final String SERVICE_TYPE = "_gambiarra._tcp.local.";

	static final String TXT_VERSION = "version";

	static final String TXT_PROTOCOL = "protocol";

	static final String TXT_PATH = "path";

	private static final Logger logger = LoggerFactory.getLogger(MdnsPublisher.class);

	private final MdnsProperties properties;

	private volatile int port;

	private @Nullable Mono<Publication> publication;

	MdnsPublisher(MdnsProperties properties) {
		this.properties = properties;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if ("management".equals(event.getApplicationContext().getServerNamespace())) {
			return;
		}
		this.port = event.getWebServer().getPort();
	}

	@Override
	public synchronized void start() {
		int boundPort = this.port;
		if (boundPort <= 0) {
			logger.warn("mDNS enabled but no web server port known; not publishing");
			return;
		}
		Mono<Publication> pending = Mono.fromCallable(() -> publish(boundPort))
			.subscribeOn(Schedulers.boundedElastic())
			.cache();
		pending.subscribe((published) -> logger.info("Published {} on {} via mDNS", published.info().getQualifiedName(),
				published.address()), (ex) -> logger.warn("mDNS publication failed: {}", ex.toString()));
		this.publication = pending;
	}

	private Publication publish(int boundPort) throws IOException {
		InetAddress address = MdnsAddresses.resolve(this.properties.networkInterface());
		String name = serviceName(boundPort);
		JmDNS jmdns = JmDNS.create(address, name + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()));
		try {
			ServiceInfo info = ServiceInfo.create(SERVICE_TYPE, name, boundPort, 0, 0,
					Map.of(TXT_VERSION, HubVersion.current(), TXT_PROTOCOL, "http", TXT_PATH, "/"));
			jmdns.registerService(info);
			return new Publication(jmdns, info, String.valueOf(jmdns.getInetAddress()));
		}
		catch (IOException | RuntimeException ex) {
			close(jmdns);
			throw ex;
		}
	}

	/** The service name a hub on this port publishes. */
	public static String serviceName(int port) {
		return "gambiarra-hub-" + port;
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public synchronized void stop(Runnable callback) {
		Mono<Publication> pending = this.publication;
		this.publication = null;
		if (pending == null) {
			callback.run();
			return;
		}
		pending.publishOn(Schedulers.boundedElastic())
			.doOnNext(MdnsPublisher::withdraw)
			.onErrorResume((ex) -> Mono.empty())
			.doFinally((signal) -> callback.run())
			.subscribe();
	}

	private static void withdraw(Publication published) {
		published.jmdns().unregisterAllServices();
		close(published.jmdns());
		logger.info("Withdrew {} from mDNS", published.info().getQualifiedName());
	}

	private static void close(JmDNS jmdns) {
		try {
			jmdns.close();
		}
		catch (IOException ex) {
			logger.debug("Closing jmDNS failed", ex);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.publication != null;
	}

	/**
	 * The web server's graceful-shutdown phase: starts once the port is bound, and on shutdown the mDNS goodbye
	 * (which takes jmDNS a few seconds) runs while in-flight requests drain, not before or after them.
	 */
	@Override
	public int getPhase() {
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
	}

	private record Publication(JmDNS jmdns, ServiceInfo info, String address) {
	}

}
