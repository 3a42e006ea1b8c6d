package dev.gambiarra.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import dev.gambiarra.shell.CliException;
import dev.gambiarra.testllm.ScriptedTurn;
import dev.gambiarra.testllm.TestLlmOptions;
import dev.gambiarra.testllm.TestLlmScript;
import dev.gambiarra.testllm.TestLlmServer;

/** {@code test-llm}: the built-in deterministic OpenAI-compatible test LLM, until Ctrl+C. */
@Component
class TestLlmCommand {

	private static final String HELP = "Usage: test-llm [--port 8001] [--host 127.0.0.1] [--models a,b] "
			+ "[--chunks N] [--delay-ms N] [--script turns.json] ('help test-llm' "
			+ "lists every option)";

	private final ClientSupport support;

	private volatile @Nullable TestLlmServer testLlm;

	TestLlmCommand(ClientSupport support) {
		this.support = support;
	}

	@Command(name = "test-llm", group = ClientSupport.GROUP, help = HELP,
			description = "Run the built-in deterministic OpenAI-compatible test LLM until Ctrl+C")
	void testLlm(@Option(longName = "port", description = "port (0: any free one)", defaultValue = "8001") int port,
			@Option(longName = "host", description = "address to bind", defaultValue = "127.0.0.1") String host,
			@Option(longName = "models", description = "comma-separated model names",
					defaultValue = "test-llm") String models,
			@Option(longName = "chunks", description = "chunks per streamed answer (0: one per word)",
					defaultValue = "0") int chunks,
			@Option(longName = "delay-ms", description = "pause before each streamed chunk",
					defaultValue = "0") int delayMs,
			@Option(longName = "script", description = "JSON file of assistant turns to replay")
			@Nullable String script,
			CommandContext context) {
		script = (script != null) ? script : "";
		this.support.oneShotOnly("test-llm");
		List<ScriptedTurn> turns = List.of();
		if (!script.isBlank()) {
			try {
				turns = TestLlmScript.load(Path.of(script));
			}
			catch (IOException ex) {
				throw CliException.failure("Cannot read script " + script + ": " + ex.getMessage());
			}
			catch (IllegalArgumentException ex) {
				throw CliException.usage("Invalid script " + script + ": " + ex.getMessage());
			}
		}
		TestLlmOptions options;
		try {
			options = TestLlmOptions.defaults()
				.withHost(host)
				.withPort(port)
				.withModels(Arrays.stream(models.split(",")).map(String::strip).filter((m) -> !m.isEmpty()).toList())
				.withChunks(chunks)
				.withDelay(Duration.ofMillis(delayMs))
				.withScript(turns);
		}
		catch (IllegalArgumentException ex) {
			throw CliException.usage("test-llm: " + ex.getMessage());
		}
		TestLlmServer server;
		try {
			server = TestLlmServer.start(options);
		}
		catch (RuntimeException ex) {
			throw CliException.failure("Cannot start the test LLM on " + host + ":" + port + ": "
					+ ClientSupport.rootMessage(ex));
		}
		PrintWriter out = context.outputWriter();
		out.println("Test LLM listening on " + server.baseUrl() + " (models: " + String.join(", ", options.models())
				+ (turns.isEmpty() ? "" : ", script of " + turns.size() + " turns") + "). Ctrl+C to stop.");
		out.println("Join it to a room: join --code CODE --endpoint " + server.baseUrl() + " --model "
				+ options.models().get(0));
		out.flush();
		this.testLlm = server;
		try {
			ClientSupport.withShutdownHook(new Thread(server::closeQuietly, "test-llm-stop"), server::onClose);
		}
		finally {
			this.testLlm = null;
		}
	}

	/** The running test LLM (for tests), or {@code null}. */
	@Nullable TestLlmServer testLlm() {
		return this.testLlm;
	}

}
