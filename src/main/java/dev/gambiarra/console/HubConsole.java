package dev.gambiarra.console;

import java.io.Console;
import java.lang.reflect.Method;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.jline.JLineInputProvider;
import org.springframework.shell.jline.JLineShellRunner;
import org.springframework.stereotype.Component;

/**
 * The interactive admin console: Spring Shell's JLine runner on a daemon thread named {@code hub-console}, so the
 * hub keeps serving (and becomes ready) while an operator types. {@code exit} closes the console, not the hub.
 */
@Component
@ConditionalOnWebApplication
class HubConsole {

	private static final Logger logger = LoggerFactory.getLogger(HubConsole.class);

	static final String WELCOME = "Gambiarra hub console: 'help' lists the commands, 'exit' closes the console "
			+ "(the hub keeps running), Ctrl+C stops the hub.";

	private final LineReader lineReader;

	private final CommandParser parser;

	private final CommandRegistry registry;

	HubConsole(LineReader lineReader, CommandParser parser, CommandRegistry registry) {
		this.lineReader = lineReader;
		this.parser = parser;
		this.registry = registry;
	}

	void start() {
		Thread thread = new Thread(this::run, "hub-console");
		thread.setDaemon(true);
		thread.start();
	}

	private void run() {
		try {
			this.lineReader.getTerminal().writer().println(WELCOME);
			this.lineReader.getTerminal().flush();
			new JLineShellRunner(new HubInput(this.lineReader), this.parser, this.registry).run(new String[0]);
			logger.info("Console closed; the hub keeps running");
		}
		catch (Exception ex) {
			logger.warn("Console stopped: {}", ex.getMessage());
		}
	}

	/**
	 * Reads console lines with a {@code hub:>} prompt. Ctrl+C at the prompt stops the hub, as it would without a
	 * console (exit code 130, graceful shutdown through the JVM's hooks); Ctrl+D only closes the console.
	 */
	static final class HubInput extends JLineInputProvider {

		HubInput(LineReader lineReader) {
			super(lineReader);
			setPromptProvider(() -> new AttributedString("hub:>",
					AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)));
		}

		@Override
		public String readInput() {
			try {
				return super.readInput();
			}
			catch (UserInterruptException ex) {
				logger.info("Ctrl+C in the console: stopping the hub");
				System.exit(130);
				return "exit";
			}
			catch (EndOfFileException ex) {
				return "exit";
			}
		}

	}

	/** Whether a real terminal is attached (on Java 22+ {@code System.console()} exists even when redirected). */
	static boolean terminalAttached() {
		Console console = System.console();
		if (console == null) {
			return false;
		}
		try {
			Method isTerminal = Console.class.getMethod("isTerminal");
			return (Boolean) isTerminal.invoke(console);
		}
		catch (ReflectiveOperationException ex) {
			return true;
		}
	}

}
