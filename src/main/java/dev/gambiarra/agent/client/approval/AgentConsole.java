package dev.gambiarra.agent.client.approval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * The user's side of the agent: where text is printed and answers are read. Injectable so tests can script the
 * answers. Blocking: used from the CLI thread or {@code boundedElastic} only.
 */
public class AgentConsole {

	private final BufferedReader in;

	private final PrintWriter out;

	public AgentConsole(InputStream in, PrintStream out) {
		this(in, new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
	}

	public AgentConsole(InputStream in, PrintWriter out) {
		this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
		this.out = out;
	}

	/** A console on the process's standard streams. */
	public static AgentConsole system() {
		return new AgentConsole(System.in, System.out);
	}

	/** Prints text as is (streamed assistant text). */
	public void print(String text) {
		this.out.print(text);
		this.out.flush();
	}

	/** Prints a line. */
	public void println(String line) {
		this.out.println(line);
		this.out.flush();
	}

	/**
	 * Shows a prompt and reads one line.
	 * @param prompt text shown before the cursor
	 * @return the line without its end, or null at end of input
	 */
	public @Nullable String ask(String prompt) {
		this.out.print(prompt);
		this.out.flush();
		try {
			return this.in.readLine();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
