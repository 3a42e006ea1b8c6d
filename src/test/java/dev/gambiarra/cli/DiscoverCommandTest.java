package dev.gambiarra.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;

import dev.gambiarra.discovery.DiscoveredHub;
import dev.gambiarra.shell.CliException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code discover} and {@code --hub auto} with a fake LAN (no multicast): what they print, the one line and exit
 * code when nothing answers, and that {@code auto} talks to the hub it found. The real mDNS path is
 * {@code DiscoverCommandIT}.
 */
class DiscoverCommandTest {

	private static final CliProperties PROPERTIES = new CliProperties("http://localhost:3000", Duration.ofSeconds(2),
			Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2),
			Duration.ofSeconds(60));

	private static final CliHttp HTTP = new CliHttp(PROPERTIES);

	private final FakeFinder finder = new FakeFinder();

	private final List<String> notices = new CopyOnWriteArrayList<>();

	private final StringWriter output = new StringWriter();

	private DisposableServer hub;

	@AfterEach
	void stopHub() {
		if (this.hub != null) {
			this.hub.disposeNow(Duration.ofSeconds(5));
		}
	}

	@Test
	void noHubFoundIsOneFailureLineNamingTheTimeout() {
		assertThatThrownBy(() -> commands().discover("2", false, context(this.output)))
			.isInstanceOfSatisfying(CliException.class,
					(ex) -> assertThat(ex.exitCode()).isEqualTo(CliException.FAILURE))
			.hasMessage("No Gambiarra hub found on the network within 2 s");
		assertThat(this.finder.timeouts).containsExactly(Duration.ofSeconds(2));
		assertThat(this.output.toString()).isEmpty();
	}

	@Test
	void listensForTheConfiguredBrowseTimeoutByDefaultAndAcceptsDecimals() {
		assertThatThrownBy(() -> commands().discover(null, false, context(this.output)))
			.hasMessage("No Gambiarra hub found on the network within 6 s");
		assertThatThrownBy(() -> commands().discover("1.5", false, context(this.output)))
			.hasMessage("No Gambiarra hub found on the network within 1.5 s");
		assertThat(this.finder.timeouts).containsExactly(Duration.ofSeconds(6), Duration.ofMillis(1500));
	}

	@Test
	void badTimeoutsAreUsageErrorsAndNeverSearch() {
		for (String bad : List.of("soon", "0", "-3", "301", "")) {
			assertThatThrownBy(() -> commands().discover(bad, false, context(this.output)))
				.as("--timeout %s", bad)
				.isInstanceOfSatisfying(CliException.class,
						(ex) -> assertThat(ex.exitCode()).isEqualTo(CliException.USAGE))
				.hasMessageStartingWith("--timeout must be");
		}
		assertThat(this.finder.timeouts).isEmpty();
	}

	@Test
	void printsTheHubsFoundAsATableOrJson() {
		this.finder.hubs.add(new DiscoveredHub("gambiarra-hub-3000", URI.create("http://192.168.1.20:3000/"), "0.1.0"));
		this.finder.hubs.add(new DiscoveredHub("gambiarra-hub-3001", URI.create("http://192.168.1.21:3001/"), "dev"));

		commands().discover("1", false, context(this.output));
		assertThat(this.output.toString().lines()).containsExactly(
				"NAME                URL                        VERSION",
				"gambiarra-hub-3000  http://192.168.1.20:3000/  0.1.0",
				"gambiarra-hub-3001  http://192.168.1.21:3001/  dev");

		StringWriter json = new StringWriter();
		commands().discover("1", true, context(json));
		assertThat(Reply.parse(json.toString()).path("hubs").findValuesAsString("url"))
			.containsExactly("http://192.168.1.20:3000/", "http://192.168.1.21:3001/");
		assertThat(json.toString()).startsWith("{\"hubs\":[{\"name\":\"gambiarra-hub-3000\",\"url\"");
	}

	@Test
	void jsonWithNoHubPrintsAnEmptyListAndStillFails() {
		assertThatThrownBy(() -> commands().discover("1", true, context(this.output)))
			.hasMessage("No Gambiarra hub found on the network within 1 s");
		assertThat(Reply.parse(this.output.toString()).path("hubs").isEmpty()).isTrue();
	}

	@Test
	void aBrokenNetworkIsOneFailureLine() {
		this.finder.failure = new IllegalStateException(new java.io.IOException("No network interface of this "
				+ "machine has the address 10.9.9.9"));
		assertThatThrownBy(() -> commands().discover("1", false, context(this.output)))
			.isInstanceOfSatisfying(CliException.class,
					(ex) -> assertThat(ex.exitCode()).isEqualTo(CliException.FAILURE))
			.hasMessage("LAN discovery (mDNS) failed: No network interface of this machine has the address 10.9.9.9");
	}

	@Test
	void hubAutoWithNoHubFailsBeforeAnyRequest() {
		assertThatThrownBy(() -> commands().list(false, "auto", context(this.output)))
			.isInstanceOfSatisfying(CliException.class,
					(ex) -> assertThat(ex.exitCode()).isEqualTo(CliException.FAILURE))
			.hasMessage("No Gambiarra hub found on the network within 6 s; pass --hub URL instead of auto");
		assertThatThrownBy(() -> commands().create("Room", null, false, "AUTO", context(this.output)))
			.hasMessageStartingWith("No Gambiarra hub found");
		assertThatThrownBy(() -> commands().chat("ABC123", "hi", "*", null, null, false, "auto",
				context(this.output)))
			.hasMessageStartingWith("No Gambiarra hub found");
		assertThatThrownBy(() -> commands().monitor("ABC123", null, true, 1, "auto", context(this.output)))
			.hasMessageStartingWith("No Gambiarra hub found");
		assertThatThrownBy(() -> commands().join("ABC123", null, "http://127.0.0.1:9", null, null, true, null,
				"auto", context(this.output)))
			.hasMessageStartingWith("No Gambiarra hub found");
		assertThat(this.finder.timeouts).hasSize(5).containsOnly(Duration.ofSeconds(6));
		assertThat(this.notices).isEmpty();
		assertThat(this.output.toString()).isEmpty();
	}

	@Test
	void hubAutoTalksToTheHubItFoundAndSaysWhichOnStderr() {
		this.hub = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/rooms", (request, response) -> response
				.header("Content-Type", "application/json")
				.sendString(Mono.just("{\"rooms\":[]}"))))
			.bindNow(Duration.ofSeconds(10));
		String url = "http://127.0.0.1:" + this.hub.port() + "/";
		this.finder.hubs.add(new DiscoveredHub("gambiarra-hub-" + this.hub.port(), URI.create(url), "dev"));

		commands().list(false, "auto", context(this.output));

		assertThat(this.output.toString()).isEqualToIgnoringNewLines("No rooms on http://127.0.0.1:" + this.hub.port());
		assertThat(this.notices).containsExactly(
				"Using hub gambiarra-hub-" + this.hub.port() + " at " + url + " (found by mDNS)");
	}

	@Test
	void autoAsTheConfiguredDefaultHubSearchesToo() {
		CliProperties auto = new CliProperties("auto", Duration.ofSeconds(2), Duration.ofSeconds(5),
				Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(60));
		Commands commands = Commands.of(auto, new CliHttp(auto), false, this.finder, this.notices::add);
		assertThatThrownBy(() -> commands.list(false, null, context(this.output)))
			.hasMessageStartingWith("No Gambiarra hub found on the network within 6 s");
		assertThat(commands.hubUrl("http://10.0.0.5:3000")).isEqualTo("http://10.0.0.5:3000");
		assertThat(this.finder.timeouts).hasSize(1);
	}

	private Commands commands() {
		return Commands.of(PROPERTIES, HTTP, false, this.finder, this.notices::add);
	}

	private static CommandContext context(Writer writer) {
		return new CommandContext(new ParsedInput("test", List.of(), List.of(), List.of()), new CommandRegistry(),
				new PrintWriter(writer, true), new InputReader() {
				});
	}

	/** A LAN with the hubs a test puts on it; remembers how long each search listened. */
	private static final class FakeFinder implements HubFinder {

		final List<DiscoveredHub> hubs = new ArrayList<>();

		final List<Duration> timeouts = new CopyOnWriteArrayList<>();

		RuntimeException failure;

		@Override
		public Duration defaultTimeout() {
			return Duration.ofSeconds(6);
		}

		@Override
		public List<DiscoveredHub> discover(Duration timeout) {
			this.timeouts.add(timeout);
			if (this.failure != null) {
				throw this.failure;
			}
			return List.copyOf(this.hubs);
		}

		@Override
		public Optional<DiscoveredHub> first(Duration timeout) {
			return discover(timeout).stream().findFirst();
		}

	}

}
