package dev.gambiarra;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import dev.gambiarra.console.Launcher;

@SpringBootApplication
public class GambiarraApplication {

	/** Reactor Netty's event-loop count, read once when its shared resources are created. */
	static final String IO_WORKERS = "reactor.netty.ioWorkerCount";

	/** Starts the hub, or runs a one-shot CLI command when an argument is not a {@code --} option. */
	public static void main(String[] args) {
		oneEventLoopPerCore();
		Launcher.run(GambiarraApplication.class, args);
	}

	/**
	 * Reactor Netty runs at least four event loops however few cores there are. The hub never blocks them, so more
	 * loops than cores only take turns: more context switches, and a relayed chunk crosses from the upstream
	 * connection's loop to the client's more often. {@code -Dreactor.netty.ioWorkerCount=N} still decides.
	 */
	static void oneEventLoopPerCore() {
		if (System.getProperty(IO_WORKERS) == null) {
			System.setProperty(IO_WORKERS, String.valueOf(Runtime.getRuntime().availableProcessors()));
		}
	}

}
