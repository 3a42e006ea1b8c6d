package dev.gambiarra.console;

import java.io.PrintWriter;
import java.util.List;

import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandExecutor;
import org.springframework.shell.core.command.CommandNotFoundException;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.ParsedInput;
import org.springframework.stereotype.Component;

import dev.gambiarra.shell.CliException;

/**
 * Runs one command line with Spring Shell's parser and executor and turns the outcome into an exit code: 0 ok,
 * 1 failure, 2 usage (unknown command, bad option). A failure prints exactly one line on {@code err}.
 */
@Component
public class CommandLines {

	public static final int OK = 0;

	public static final int FAILURE = CliException.FAILURE;

	public static final int USAGE = CliException.USAGE;

	private final CommandParser parser;

	private final CommandRegistry registry;

	private final CommandExecutor executor;

	CommandLines(CommandParser parser, CommandRegistry registry) {
		this.parser = parser;
		this.registry = registry;
		this.executor = new CommandExecutor(registry);
	}

	/** Runs the command given as separate program arguments (each quoted again so spaces survive). */
	public int execute(List<String> args, PrintWriter out, PrintWriter err) {
		return execute(join(args), out, err);
	}

	public int execute(String line, PrintWriter out, PrintWriter err) {
		try {
			ParsedInput input = this.parser.parse(line);
			CommandContext context = new CommandContext(input, this.registry, out, new InputReader() {
			});
			ExitStatus status = this.executor.execute(context);
			out.flush();
			if (status.code() == ExitStatus.OK.code()) {
				return OK;
			}
			err.println(status.description());
			return (status.code() == ExitStatus.USAGE_ERROR.code()) ? USAGE : FAILURE;
		}
		catch (CommandNotFoundException ex) {
			out.flush();
			err.println("Unknown command '" + ex.getCommandName() + "'. Run 'help' to list the commands.");
			return USAGE;
		}
		catch (RuntimeException ex) {
			out.flush();
			return report(ex, err);
		}
		finally {
			err.flush();
		}
	}

	private static int report(Throwable failure, PrintWriter err) {
		Throwable cause = failure;
		while (cause != null) {
			if (cause instanceof CliException cli) {
				err.println(cli.getMessage());
				return cli.exitCode();
			}
			if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
				err.println(cause.getMessage());
				return USAGE;
			}
			cause = cause.getCause();
		}
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		err.println("Error: " + message.lines().findFirst().orElse(message));
		return FAILURE;
	}

	/** Joins arguments into one line the parser splits back the same way, quoting those with spaces. */
	static String join(List<String> args) {
		StringBuilder line = new StringBuilder();
		for (String arg : args) {
			if (!line.isEmpty()) {
				line.append(' ');
			}
			if (arg.isEmpty() || arg.chars().anyMatch((c) -> Character.isWhitespace(c) || c == '"')) {
				line.append('"').append(arg.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
			}
			else {
				line.append(arg);
			}
		}
		return line.toString();
	}

}
