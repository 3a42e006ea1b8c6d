package dev.gambiarra.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's standard input, for {@code chat} to read its prompt from when none is on the command line (as in
 * {@code echo hi | java -jar gambiarra.jar chat --code DEMO42}). Never read when it is a terminal: a user who typed
 * no prompt gets told so instead of a command that seems to hang.
 */
interface Stdin {

	/** Whether standard input is an interactive terminal (then nothing is read from it). */
	boolean isTerminal();

	/** The stream to read (once). */
	InputStream stream();

	/** The real one. */
	static Stdin system() {
		return new Stdin() {

			@Override
			public boolean isTerminal() {
				return terminal(Path.of("/proc/self/fd/0"));
			}

			@Override
			public InputStream stream() {
				return System.in;
			}

		};
	}

	/**
	 * On Linux, whether {@code fd0} (the {@code /proc} link of file descriptor 0) points to a terminal device. Where
	 * there is no such link, falls back to {@link System#console()} ({@code isTerminal()} on Java 22+, where a console
	 * exists even when redirected), which speaks of stdin and stdout together: there a redirected stdout alone makes
	 * stdin count as not a terminal.
	 */
	static boolean terminal(Path fd0) {
		try {
			if (Files.isSymbolicLink(fd0)) {
				String target = Files.readSymbolicLink(fd0).toString();
				return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
			}
		}
		catch (IOException | UnsupportedOperationException | SecurityException ex) {
			// fall back below
		}
		Console console = System.console();
		if (console == null) {
			return false;
		}
		try {
			return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
		}
		catch (ReflectiveOperationException ex) {
			return true;
		}
	}

}
