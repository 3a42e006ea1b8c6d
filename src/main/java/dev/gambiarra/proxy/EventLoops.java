package dev.gambiarra.proxy;

import io.netty.util.concurrent.EventExecutor;

/** Running the relay's state changes on the event loop that owns them. */
final class EventLoops {

	private EventLoops() {
	}

	/** Runs {@code task} now when called on {@code loop}, else hands it to {@code loop}. */
	static void run(EventExecutor loop, Runnable task) {
		if (loop.inEventLoop()) {
			task.run();
		}
		else {
			loop.execute(task);
		}
	}

}
