package dev.gambiarra.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

/**
 * A real {@code redis-server} for tests: Debian's binary (or {@code -Dgambiarra.test.redis-server=PATH}) started on
 * 127.0.0.1 and a free port, with nothing saved to disk unless asked, waited for until it answers {@code PING}, and
 * stopped by its own process handle. Without the binary the Redis tests fail with a message saying how to install
 * it: they never pass silently on a machine that cannot run them.
 */
public final class RedisServer implements AutoCloseable {

	private static final String BINARY_PROPERTY = "gambiarra.test.redis-server";

	private static RedisServer shared;

	private final int port;

	private final List<String> command;

	private Process process;

	private RedisServer(int port, List<String> command) {
		this.port = port;
		this.command = command;
	}

	/** One server for the whole test JVM (the behaviour suite on Redis); stopped when the JVM exits. */
	public static synchronized RedisServer shared() {
		if (shared == null) {
			RedisServer server = start(false);
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "redis-server-stop"));
			shared = server;
		}
		return shared;
	}

	/**
	 * A server of one's own. With {@code persistent}, it keeps an append-only file in a temporary directory, so
	 * {@link #restart()} brings its data back, as a production Redis would.
	 */
	public static RedisServer start(boolean persistent) {
		String binary = binary();
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind",
				"127.0.0.1", "--save", "", "--protected-mode", "no"));
		if (persistent) {
			try {
				Path dir = Files.createTempDirectory("gambiarra-redis");
				dir.toFile().deleteOnExit();
				command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()));
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}
		else {
			command.addAll(List.of("--appendonly", "no"));
		}
		RedisServer server = new RedisServer(port, command);
		server.launch();
		return server;
	}

	private static String binary() {
		String configured = System.getProperty(BINARY_PROPERTY);
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
			File candidate = new File(dir, "redis-server");
			if (candidate.canExecute()) {
				return candidate.getPath();
			}
		}
		File sbin = new File("/usr/bin/redis-server");
		if (sbin.canExecute()) {
			return sbin.getPath();
		}
		throw new IllegalStateException("redis-server not found: the Redis half of the test suite needs a real Redis."
				+ " Install it (Debian/Ubuntu: apt-get install redis-server; .ci/run does) or point -D" + BINARY_PROPERTY
				+ " at a redis-server binary.");
	}

	private void launch() {
		try {
			this.process = new ProcessBuilder(this.command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + this.command.get(0), ex);
		}
		Awaitility.await("redis-server on port " + this.port + " answers PING")
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("redis-server exited with " + this.process.exitValue());
				}
				return pong();
			});
	}

	private boolean pong() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] answer = new byte[7];
			int read = in.readNBytes(answer, 0, 7);
			return new String(answer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	public int port() {
		return this.port;
	}

	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/** Whether the server process runs. */
	public boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/** Stops the server (SIGTERM to its own process) and waits until it is gone. */
	public void stop() {
		Process current = this.process;
		if (current == null) {
			return;
		}
		current.destroy();
		try {
			if (!current.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
				current.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	/** Starts the stopped server again on the same port (and, if persistent, with its data). */
	public void restart() {
		stop();
		launch();
	}

	@Override
	public void close() {
		stop();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
