package dev.gambiarra.agent.client.security;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs one shell command with the workspace as its working directory, a time limit and a cap on captured output.
 * Standard input is empty; stdout and stderr are merged in arrival order. When the output passes the cap, the first
 * and last halves are kept and the middle is dropped (the process keeps running; its output is drained, not
 * stored). On timeout the process and its descendants are killed. Environment variables whose names look like
 * secrets ({@code *TOKEN*}, {@code *SECRET*}, {@code *PASSWORD*}, {@code *API_KEY*}, …) are removed.
 * <p>
 * Blocking: call it from the CLI thread or {@code boundedElastic}, never from an event loop.
 */
public final class CommandRunner {

	private static final Pattern SECRET_NAME = Pattern
		.compile(".*(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|APIKEY|CREDENTIAL|PRIVATE_KEY|ACCESS_KEY).*");

	private final Duration timeout;

	private final int maxOutputBytes;

	/**
	 * The outcome of a run.
	 * @param exitCode the exit status, or -1 when it timed out
	 * @param output merged stdout and stderr, possibly shortened in the middle
	 * @param timedOut whether the time limit killed it
	 * @param truncatedBytes how many bytes of output were dropped
	 * @param elapsed how long it ran
	 */
	public record Result(int exitCode, String output, boolean timedOut, long truncatedBytes, Duration elapsed) {
	}

	public CommandRunner(Duration timeout, int maxOutputBytes) {
		this.timeout = timeout;
		this.maxOutputBytes = Math.max(256, maxOutputBytes);
	}

	/**
	 * Runs a command and waits for it.
	 * @param command the shell command line
	 * @param directory the working directory (inside the workspace; the caller checked it)
	 * @return exit code and captured output
	 * @throws IOException when the shell cannot be started
	 */
	public Result run(String command, Path directory) throws IOException {
		boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
		ProcessBuilder builder = windows ? new ProcessBuilder("cmd.exe", "/c", command)
				: new ProcessBuilder("/bin/sh", "-c", command);
		builder.directory(directory.toFile());
		builder.redirectErrorStream(true);
		builder.redirectInput(ProcessBuilder.Redirect.from(new File(windows ? "NUL" : "/dev/null")));
		scrub(builder.environment());
		long start = System.nanoTime();
		Process process = builder.start();
		Capture capture = new Capture(process.getInputStream(), this.maxOutputBytes);
		Thread reader = new Thread(capture, "agent-command-output");
		reader.setDaemon(true);
		reader.start();
		boolean finished;
		try {
			finished = process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			finished = false;
		}
		if (!finished) {
			// the shell first, so it cannot go on with its script; then the children it leaves behind
			java.util.List<ProcessHandle> children = process.descendants().toList();
			process.destroyForcibly();
			children.forEach(ProcessHandle::destroyForcibly);
		}
		try {
			// After the process ends its pipe closes; a grandchild that kept it open is given a short grace period.
			reader.join(finished ? 5_000 : 1_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		int exit = finished ? process.exitValue() : -1;
		return new Result(exit, capture.text(), !finished, capture.dropped(), elapsed);
	}

	/** Removes variables whose names look like secrets and marks the environment as the agent's. */
	static void scrub(Map<String, String> env) {
		env.keySet().removeIf(name -> SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).matches());
		env.put("GAMBIARRA_AGENT", "1");
	}

	/** Reads a stream to its end, keeping the first and last {@code cap / 2} bytes. */
	private static final class Capture implements Runnable {

		private final InputStream in;

		private final int half;

		private final ByteArrayOutputStream head = new ByteArrayOutputStream();

		private final byte[] tail;

		private int tailStart;

		private int tailLength;

		private long dropped;

		Capture(InputStream in, int cap) {
			this.in = in;
			this.half = cap / 2;
			this.tail = new byte[cap - this.half];
		}

		@Override
		public void run() {
			byte[] buffer = new byte[8192];
			try (this.in) {
				int n;
				while ((n = this.in.read(buffer)) > 0) {
					synchronized (this) {
						accept(buffer, n);
					}
				}
			}
			catch (IOException ex) {
				// the process was killed or closed its output: keep what we have
			}
		}

		private void accept(byte[] buffer, int n) {
			int offset = 0;
			int roomInHead = this.half - this.head.size();
			if (roomInHead > 0) {
				int take = Math.min(roomInHead, n);
				this.head.write(buffer, 0, take);
				offset = take;
			}
			for (int i = offset; i < n; i++) {
				if (this.tailLength < this.tail.length) {
					this.tail[(this.tailStart + this.tailLength) % this.tail.length] = buffer[i];
					this.tailLength++;
				}
				else {
					this.tail[this.tailStart] = buffer[i];
					this.tailStart = (this.tailStart + 1) % this.tail.length;
					this.dropped++;
				}
			}
		}

		synchronized long dropped() {
			return this.dropped;
		}

		synchronized String text() {
			byte[] tailBytes = new byte[this.tailLength];
			for (int i = 0; i < this.tailLength; i++) {
				tailBytes[i] = this.tail[(this.tailStart + i) % this.tail.length];
			}
			String first = this.head.toString(StandardCharsets.UTF_8);
			String last = new String(tailBytes, StandardCharsets.UTF_8);
			if (this.dropped == 0) {
				return first + last;
			}
			return first + "\n… [" + this.dropped + " bytes of output omitted] …\n" + last;
		}

	}

}
