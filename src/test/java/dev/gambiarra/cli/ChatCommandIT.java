package dev.gambiarra.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gambiarra.GambiarraApplication;
import dev.gambiarra.support.PackagedJar;
import dev.gambiarra.support.PackagedJar.Run;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chat} as a user runs it: the packaged jar as a one-shot command in its own JVM, its prompt given as plain
 * words, or piped on stdin, against a hub with the demo room.
 */
class ChatCommandIT {

	private static final String ANSWER = "Hello from the Gambiarra test LLM! You said: ";

	private static ConfigurableApplicationContext hub;

	private static String url;

	@BeforeAll
	static void startHub() {
		hub = new SpringApplicationBuilder(GambiarraApplication.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--gambiarra.demo.enabled=true", "--gambiarra.demo.delay=0ms",
				"--gambiarra.console.enabled=false", "--gambiarra.mdns.enabled=false");
		url = "http://127.0.0.1:" + ((WebServerApplicationContext) hub).getWebServer().getPort();
	}

	@AfterAll
	static void stopHub() {
		hub.close();
	}

	@Test
	void thePromptIsThePlainWordsAfterTheOptions(@TempDir Path work) throws Exception {
		Run run = cli(work, null, "chat", "--code", "DEMO42", "--hub", url, "hello", "there");
		assertThat(run.exit()).as(run.toString()).isZero();
		assertThat(run.out()).isEqualTo(ANSWER + "hello there\n");
		assertThat(run.err()).isEmpty();
	}

	@Test
	void withoutAPromptItReadsStdin(@TempDir Path work) throws Exception {
		Path prompt = Files.writeString(work.resolve("prompt.txt"), "hi from a pipe\n");
		Run run = cli(work, prompt.toFile(), "chat", "--code", "DEMO42", "--hub", url);
		assertThat(run.exit()).as(run.toString()).isZero();
		assertThat(run.out()).isEqualTo(ANSWER + "hi from a pipe\n");

		Run empty = cli(work, new File("/dev/null"), "chat", "--code", "DEMO42", "--hub", url);
		assertThat(empty.exit()).as(empty.toString()).isEqualTo(2);
		assertThat(empty.err()).startsWith("No prompt: stdin was empty").endsWith("\n").hasLineCount(1);
		assertThat(empty.out()).isEmpty();
	}

	/** The packaged jar as a one-shot command with {@code stdin} (or nothing) as its standard input. */
	private static Run cli(Path work, File stdin, String... args) throws IOException, InterruptedException {
		return PackagedJar.run(work, (stdin != null) ? stdin : new File("/dev/null"), List.of(args));
	}

}
