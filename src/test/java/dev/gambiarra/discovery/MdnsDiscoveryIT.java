package dev.gambiarra.discovery;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceListener;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gambiarra.GambiarraApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishes a real hub over mDNS and finds it with {@link MdnsBrowser}, on the loopback interface only (no packet
 * leaves the machine). mDNS resolution takes seconds, hence {@code slow}: it runs in {@code verify}
 * (failsafe), not in the quick {@code test} run.
 */
@Tag("slow")
class MdnsDiscoveryIT {

	@Test
	void browserFindsPublishedHubWithItsTxtAndLosesItOnShutdown() throws Exception {
		ConfigurableApplicationContext hub = new SpringApplicationBuilder(GambiarraApplication.class)
			.run("--server.port=0", "--server.address=127.0.0.1", "--gambiarra.mdns.enabled=true",
					"--gambiarra.mdns.interface=127.0.0.1");
		int port = ((WebServerApplicationContext) hub).getWebServer().getPort();
		String name = MdnsPublisher.serviceName(port);
		JmDNS watcher = JmDNS.create(InetAddress.getLoopbackAddress(), "gambiarra-test-watcher");
		try {
			CountDownLatch removed = new CountDownLatch(1);
			watcher.addServiceListener(MdnsPublisher.SERVICE_TYPE, new RemovalListener(name, removed));
			MdnsBrowser browser = hub.getBean(MdnsBrowser.class);

			List<DiscoveredHub> found = browser.browse(Duration.ofSeconds(20))
				.filter((candidate) -> candidate.name().equals(name))
				.take(1)
				.collectList()
				.block(Duration.ofSeconds(25));

			assertThat(found).singleElement().satisfies((discovered) -> {
				assertThat(discovered.url()).hasScheme("http").hasPort(port).hasPath("/");
				assertThat(discovered.url().getHost()).isEqualTo("127.0.0.1");
				assertThat(discovered.version()).isNotBlank();
			});

			hub.close();
			assertThat(removed.await(20, TimeUnit.SECONDS)).as("service removed after shutdown").isTrue();
		}
		finally {
			hub.close();
			watcher.close();
		}
	}

	@Test
	void browsingWithNoHubCompletesEmptyAtTheTimeout() {
		MdnsBrowser browser = new MdnsBrowser(new MdnsProperties(false, "127.0.0.1", Duration.ofSeconds(1)));
		long started = System.nanoTime();

		List<DiscoveredHub> hubs = browser.discover();

		assertThat(hubs).noneMatch((hub) -> hub.name().startsWith("gambiarra-hub-"));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
	}

	private record RemovalListener(String name, CountDownLatch removed) implements ServiceListener {

		@Override
		public void serviceAdded(ServiceEvent event) {
		}

		@Override
		public void serviceRemoved(ServiceEvent event) {
			if (this.name.equals(event.getName())) {
				this.removed.countDown();
			}
		}

		@Override
		public void serviceResolved(ServiceEvent event) {
		}

	}

}
