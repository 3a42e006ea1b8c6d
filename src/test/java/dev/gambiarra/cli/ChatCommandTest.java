package dev.gambiarra.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;

import dev.gambiarra.console.CommandLines;
import dev.gambiarra.shell.CliException;
import dev.gambiarra.support.DemoHubTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where {@code chat} takes its prompt from: {@code --prompt}, the words after the options, or stdin. The command
 * lines go through the one-shot path (arguments joined, then Spring Shell's parser and executor), against the demo
 * room of a real hub.
 */
@DemoHubTest
class ChatCommandTest {

	private static final String ANSWER = "Hello from the Gambiarra test LLM! You said: ";

	@LocalServerPort
	private int port;

	@Autowired
	private CommandLines commands;

	@Autowired
	private CliProperties properties;

	@Autowired
	private CliHttp http;

	@Test
	void thePromptMayBePlainWordsAfterTheOptions() {
		Run words = run("chat", "--code", "DEMO42", "--hub", hub(), "hello", "there");
		assertThat(words.code()).as(words.err()).isZero();
		assertThat(words.out()).isEqualTo(ANSWER + "hello there\n");
		assertThat(words.err()).isEmpty();

		Run option = run("chat", "--code", "DEMO42", "--hub", hub(), "--prompt", "hello there");
		assertThat(option.out()).isEqualTo(words.out());

		Run first = run("chat", "what", "is", "--code", "demo42", "--stream", "false", "--hub", hub(), "a gambiarra?");
		assertThat(first.code()).as(first.err()).isZero();
		assertThat(first.out()).isEqualTo(ANSWER + "what is a gambiarra?\n");
	}

	@Test
	void aPromptGivenTwiceOrNotAtAllIsAUsageErrorOnOneLine() {
		Run twice = run("chat", "--code", "DEMO42", "--hub", hub(), "--prompt", "hello", "there");
		assertThat(twice.code()).isEqualTo(CommandLines.USAGE);
		assertThat(twice.err()).startsWith("Give the prompt once: --prompt TEXT or the words after the options")
			.endsWith("\n")
			.hasLineCount(1);
		assertThat(twice.out()).isEmpty();

		StringWriter out = new StringWriter();
		assertThatThrownBy(() -> chat(Stdins.TERMINAL).chat("DEMO42", null, List.of(), "*", null, null, true, hub(),
				context(out)))
			.isInstanceOfSatisfying(CliException.class, (ex) -> assertThat(ex.exitCode()).isEqualTo(CliException.USAGE))
			.hasMessage("No prompt: give it as --prompt TEXT, as words after the options, or on stdin");
		assertThatThrownBy(() -> chat(Stdins.piped(" \n")).chat("DEMO42", null, List.of(), "*", null, null, true,
				hub(), context(out)))
			.hasMessageStartingWith("No prompt: stdin was empty");
		assertThat(out.toString()).isEmpty();
	}

	@Test
	void withoutAPromptOnTheCommandLineItReadsStdinWhenItIsNotATerminal() {
		StringWriter out = new StringWriter();
		chat(Stdins.piped("hi from a pipe\n")).chat("DEMO42", null, List.of(), "*", null, null, true, hub(),
				context(out));
		assertThat(out.toString()).isEqualTo(ANSWER + "hi from a pipe\n");

		StringWriter lines = new StringWriter();
		chat(Stdins.piped("two\nlines\r\n\n")).chat("DEMO42", null, List.of(), "*", null, null, false, hub(),
				context(lines));
		// The test LLM echoes the words of the prompt (it folds the line break into a space).
		assertThat(lines.toString()).isEqualTo(ANSWER + "two lines\n");
	}

	@Test
	void everyFailureIsOneLineEndingInANewline() {
		List<List<String>> lines = List.of(List.of("chat", "--hub", hub(), "hi"),
				List.of("chat", "--code", "NOPE99", "--hub", hub(), "hi"),
				List.of("chat", "--code", "DEMO42", "--hub", "localhost:3000", "hi"),
				List.of("chat", "--code", "DEMO42", "--stream", "maybe", "--hub", hub(), "hi"),
				List.of("chat", "--code", "DEMO42", "--hub", hub(), "--prompt"), List.of("nope"),
				List.of("create", "--hub", hub()));
		List<String> errors = new ArrayList<>();
		for (List<String> line : lines) {
			Run run = run(line.toArray(String[]::new));
			assertThat(run.code()).as("%s", line).isNotZero();
			assertThat(run.err()).as("%s", line).endsWith("\n").hasLineCount(1);
			errors.add(run.err());
		}
		assertThat(errors.get(1)).isEqualTo("Cannot chat in room NOPE99: Room not found (404)\n");
	}

	private ChatCommand chat(Stdin stdin) {
		return new ChatCommand(new ClientSupport(this.properties, this.http, false), stdin);
	}

	private Run run(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = this.commands.execute(List.of(args), new PrintWriter(out), new PrintWriter(err));
		return new Run(code, out.toString(), err.toString());
	}

	private String hub() {
		return "http://127.0.0.1:" + this.port;
	}

	private static CommandContext context(StringWriter writer) {
		return new CommandContext(new ParsedInput("chat", List.of(), List.of(), List.of()), new CommandRegistry(),
				new PrintWriter(writer, true), new InputReader() {
				});
	}

	private record Run(int code, String out, String err) {
	}

}
