package dev.gambiarra;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancelling a periodic task (a {@code Flux.interval}: heartbeats, pings) takes its scheduler queue's lock, on
 * whatever thread cancels: an event loop, a parallel worker. On JDK 17 a BlockHound report thrown while a thread
 * waits for that lock leaves the waiter queued in it for good: the next thread to wait for the lock, that worker
 * itself included, waits forever, and every delay and timeout given to that worker never fires. A CI run hung so.
 * {@link SchedulerBlockHoundIntegration} allows that wait; this races many cancellations against the workers' own
 * scheduling and checks that every worker still runs what it is given.
 */
class SchedulerCancelTest {

	private static final int ROUNDS = 200_000;

	@Test
	void cancellingIntervalsOnParallelWorkersLeavesEveryWorkerRunning() throws InterruptedException {
		int workers = Schedulers.DEFAULT_POOL_SIZE;
		Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
		CountDownLatch cancelled = new CountDownLatch(workers);
		for (int w = 0; w < workers; w++) {
			Schedulers.parallel().schedule(() -> {
				try {
					for (int i = 0; i < ROUNDS; i++) {
						Disposable interval = Flux.interval(Duration.ofMillis(1 + (i % 5))).subscribe();
						interval.dispose();
					}
				}
				catch (Throwable ex) {
					failures.add(ex);
				}
				finally {
					cancelled.countDown();
				}
			});
		}
		assertThat(cancelled.await(60, TimeUnit.SECONDS)).as("every worker finished its cancellations").isTrue();
		assertThat(failures).withFailMessage(() -> "cancelling failed: " + traces(failures)).isEmpty();
		List<CountDownLatch> delayed = new ArrayList<>();
		for (int i = 0; i < 4 * workers; i++) {
			CountDownLatch ran = new CountDownLatch(1);
			Schedulers.parallel().schedule(ran::countDown, 1, TimeUnit.MILLISECONDS);
			delayed.add(ran);
		}
		for (CountDownLatch ran : delayed) {
			assertThat(ran.await(10, TimeUnit.SECONDS)).as("a delayed task ran on its worker").isTrue();
		}
	}

	private static String traces(Queue<Throwable> failures) {
		StringWriter traces = new StringWriter();
		failures.forEach((failure) -> failure.printStackTrace(new PrintWriter(traces)));
		return traces.toString();
	}

}
