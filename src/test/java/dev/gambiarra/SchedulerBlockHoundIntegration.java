package dev.gambiarra;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Cancelling a task a Reactor scheduler holds for later (a {@code Flux.interval}'s periodic task, cancelled when a
 * heartbeat or a ping stops) removes it from the executor's queue under that queue's {@code ReentrantLock}, held for
 * a heap update. Reactor allows the queue's {@code offer} and {@code take}, and the cancellation of one-shot tasks,
 * not this one. BlockHound's report is a false positive, and a harmful one on JDK 17: thrown while the thread waits
 * for the lock, it leaves that thread's entry queued in the lock, so the next thread to wait for it (the queue's own
 * worker, say) waits forever and every delay and timeout on that worker never fires. Allowed in that one method only
 * ({@link SchedulerCancelTest}).
 */
public class SchedulerBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "remove");
	}

}
