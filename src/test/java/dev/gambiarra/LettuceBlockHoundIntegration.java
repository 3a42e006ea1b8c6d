package dev.gambiarra;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Lettuce 7 guards the writers count of each connection's endpoint with a {@code ReentrantLock} held for a few atomic
 * updates ({@code SharedLock.incrementWriters}); when two threads dispatch commands on one connection at the same
 * moment, the second parks for those nanoseconds. No I/O happens under the lock, so BlockHound's report is a false
 * positive; but thrown inside Lettuce's dispatch it left that command unsent and its subscriber waiting, so one
 * report under load hung every later Redis test of the context. Allowed in that one method only.
 */
public class LettuceBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
		// The exclusive side of the same lock (a reconnect, a flush of queued commands, on Lettuce's own loop): a
		// report thrown while it waits for the lock would, on JDK 17, leave the lock unusable for every later writer
		// (see SchedulerBlockHoundIntegration).
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
	}

}
