package dev.gambiarra.console;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The application's only {@link ApplicationRunner}. Its presence makes Spring Shell's own runner back off, so
 * program arguments are never mistaken for shell commands by it. In one-shot CLI mode ({@link Launcher}) it runs
 * the command and exits with its code; as a hub it starts the admin console on a daemon thread when a terminal is
 * attached, and returns at once so the hub becomes ready.
 */
@Component
class HubRunner implements ApplicationRunner {

	private final ConfigurableApplicationContext context;

	private final Environment environment;

	private final CommandLines commands;

	private final ConsoleProperties console;

	private final ObjectProvider<HubConsole> hubConsole;

	HubRunner(ConfigurableApplicationContext context, Environment environment, CommandLines commands,
			ConsoleProperties console, ObjectProvider<HubConsole> hubConsole) {
		this.context = context;
		this.environment = environment;
		this.commands = commands;
		this.console = console;
		this.hubConsole = hubConsole;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (Launcher.CLI_MODE.equals(this.environment.getProperty(Launcher.MODE_PROPERTY))) {
			List<String> command = commandOf(args.getSourceArgs());
			PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
			PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
			int code = this.commands.execute(command, out, err);
			System.exit(SpringApplication.exit(this.context, () -> code));
		}
		if (this.console.enabled() && HubConsole.terminalAttached()) {
			HubConsole shell = this.hubConsole.getIfAvailable();
			if (shell != null) {
				shell.start();
			}
		}
	}

	/** The program arguments after the leading {@code --key=value} Spring properties. */
	static List<String> commandOf(String[] args) {
		int first = Launcher.firstCommand(args);
		return (first < 0) ? List.of() : Arrays.asList(args).subList(first, args.length);
	}

}
