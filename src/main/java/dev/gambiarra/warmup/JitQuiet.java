package dev.gambiarra.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits, on the thread that starts the hub, until the JIT compilers have been idle for a moment: their total
 * compilation time, as the JVM reports it, stopped growing.
 */
final class JitQuiet {

	/** How often the compilers' total time is read. */
	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	/** Consecutive reads without growth that count as idle. */
	private static final int QUIET_POLLS = 3;

	private JitQuiet() {
	}

	/**
	 * @param within the longest wait; nothing is waited for when it is zero or negative
	 * @return the milliseconds waited
	 */
	static long await(Duration within) {
		CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
		if (jit == null || !jit.isCompilationTimeMonitoringSupported() || within.isNegative() || within.isZero()) {
			return 0;
		}
		long started = System.nanoTime();
		long deadline = started + within.toNanos();
		long last = jit.getTotalCompilationTime();
		int quiet = 0;
		while (quiet < QUIET_POLLS && System.nanoTime() < deadline) {
			LockSupport.parkNanos(POLL_NANOS);
			long now = jit.getTotalCompilationTime();
			quiet = (now == last) ? quiet + 1 : 0;
			last = now;
		}
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
	}

}
