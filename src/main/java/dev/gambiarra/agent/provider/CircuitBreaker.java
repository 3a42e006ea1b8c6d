package dev.gambiarra.agent.provider;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Closed: requests pass, failures in a row are counted. Open (after {@code threshold} failures): requests are
 * refused until {@code cooldown} has passed. Half-open: one trial request passes; its success closes the breaker,
 * its failure opens it again. Thread-safe.
 */
final class CircuitBreaker {

	private final int threshold;

	private final long cooldownNanos;

	private final LongSupplier clock;

	private int failures;

	private long openedAt;

	private boolean open;

	private boolean trialRunning;

	CircuitBreaker(int threshold, Duration cooldown, LongSupplier clock) {
		this.threshold = threshold;
		this.cooldownNanos = cooldown.toNanos();
		this.clock = clock;
	}

	/** Whether a request may go now; in half-open state only the first caller gets {@code true}. */
	synchronized boolean tryAcquire() {
		if (!this.open) {
			return true;
		}
		if (this.clock.getAsLong() - this.openedAt < this.cooldownNanos || this.trialRunning) {
			return false;
		}
		this.trialRunning = true;
		return true;
	}

	synchronized void success() {
		this.failures = 0;
		this.open = false;
		this.trialRunning = false;
	}

	synchronized void failure() {
		this.failures++;
		if (this.trialRunning || this.failures >= this.threshold) {
			this.open = true;
			this.openedAt = this.clock.getAsLong();
		}
		this.trialRunning = false;
	}

	/** Releases a trial that ended without a verdict (cancelled before an answer). */
	synchronized void release() {
		this.trialRunning = false;
	}

	synchronized boolean isOpen() {
		return this.open;
	}

}
