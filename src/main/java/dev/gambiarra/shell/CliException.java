package dev.gambiarra.shell;

/**
 * A command failure with the one line the user reads on stderr and the process exit code (1 failure, 2 usage).
 */
public class CliException extends RuntimeException {

	public static final int FAILURE = 1;

	public static final int USAGE = 2;

	private final int exitCode;

	public CliException(int exitCode, String message) {
		super(message, null, false, false);
		this.exitCode = exitCode;
	}

	public static CliException failure(String message) {
		return new CliException(FAILURE, message);
	}

	public static CliException usage(String message) {
		return new CliException(USAGE, message);
	}

	public int exitCode() {
		return this.exitCode;
	}

}
