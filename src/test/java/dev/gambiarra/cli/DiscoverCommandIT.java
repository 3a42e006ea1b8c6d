package dev.gambiarra.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gambiarra.GambiarraApplication;
import dev.gambiarra.discovery.MdnsPublisher;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.support.PackagedJar;
import dev.gambiarra.support.PackagedJar.Run;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code discover} and {@code --hub auto} as a user runs them: the packaged jar as a one-shot command (its own JVM,
 * no web server, lazy beans), finding a hub that the real {@link MdnsPublisher} announces. mDNS runs on the loopback
 * interface only ({@code gambiarra.mdns.interface=127.0.0.1} on both sides), so no packet leaves the machine.
 * Other hubs may be announced on loopback at the same time (parallel builds): the assertions look for this one.
 */
@Tag("slow")
class DiscoverCommandIT {

	private static ConfigurableApplicationContext hub;

	private static int port;

	@BeforeAll
	static void startHub() {
		hub = new SpringApplicationBuilder(GambiarraApplication.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--gambiarra.mdns.enabled=true", "--gambiarra.mdns.interface=127.0.0.1",
				"--gambiarra.console.enabled=false");
		port = ((WebServerApplicationContext) hub).getWebServer().getPort();
	}

	@AfterAll
	static void stopHub() {
		hub.close();
	}

	@Test
	void discoverListsTheAnnouncedHubWithItsUrlAndVersion(@TempDir Path work) throws Exception {
		Run table = cli(work, "discover", "--timeout", "10");
		assertThat(table.exit()).as(table.toString()).isZero();
		assertThat(table.out().lines().findFirst()).hasValueSatisfying(
				(header) -> assertThat(header).matches("NAME\\s+URL\\s+VERSION"));
		assertThat(table.out()).containsPattern(Pattern.quote(MdnsPublisher.serviceName(port)) + "\\s+"
				+ Pattern.quote("http://127.0.0.1:" + port + "/") + "\\s+\\S+");
		assertThat(table.err()).isEmpty();

		Run json = cli(work, "discover", "--timeout", "10", "--json", "true");
		assertThat(json.exit()).as(json.toString()).isZero();
		assertThat(Reply.parse(json.out()).path("hubs").findValuesAsString("url"))
			.contains("http://127.0.0.1:" + port + "/");
	}

	@Test
	void hubAutoCreatesTheRoomOnTheHubItFoundAndSaysWhichOnStderr(@TempDir Path work) throws Exception {
		Run created = cli(work, "create", "--name", "Found by mDNS", "--hub", "auto");
		assertThat(created.exit()).as(created.toString()).isZero();
		Matcher notice = Pattern.compile("Using hub (gambiarra-hub-\\S+) at (http://\\S+)/ \\(found by mDNS\\)")
			.matcher(created.err());
		assertThat(notice.find()).as(created.toString()).isTrue();
		assertThat(created.out()).contains("\"Found by mDNS\" created", "OpenAI base URL: " + notice.group(2)
				+ "/rooms/");
		if (notice.group(1).equals(MdnsPublisher.serviceName(port))) {
			// Usually the only hub on loopback: the room is on it.
			assertThat(hub.getBean(RoomService.class).rooms()).anyMatch((room) -> room.name().equals("Found by mDNS"));
		}
	}

	/** The packaged jar as a one-shot command, browsing on loopback; its exit code, stdout and stderr. */
	private static Run cli(Path work, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("--gambiarra.mdns.interface=127.0.0.1",
				"--gambiarra.mdns.browse-timeout=15s"));
		command.addAll(List.of(args));
		return PackagedJar.run(work, new File("/dev/null"), command);
	}

}
