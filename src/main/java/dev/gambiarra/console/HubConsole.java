package dev.gambiarra.console;

import java.io.Console;
import java.lang.reflect.Method;

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

	private final JLineInputProvider input;

	private final CommandParser parser;

	private final CommandRegistry registry;

	HubConsole(JLineInputProvider input, CommandParser parser, CommandRegistry registry) {
		this.input = input;
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
			new JLineShellRunner(this.input, this.parser, this.registry).run(new String[0]);
			logger.info("Console closed; the hub keeps running");
		}
		catch (Exception ex) {
			logger.warn("Console stopped: {}", ex.getMessage());
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
