package dev.gambiarra.resilience;

import java.time.Duration;
import java.time.InstantSource;

/**
 * Closed: requests pass, failures in a row are counted. Open (after {@code threshold} failures in a row): requests
 * are refused until {@code coolDown} has passed. Then one trial request is let through (half-open) and decides: its
 * success closes the breaker, its failure opens it for another cool-down, and a trial that ends without a verdict
 * (its caller went away) lets the next request try. Time comes from the injected clock, so tests step it.
 * Thread-safe; every method is short and never blocks beyond the breaker's own monitor.
 */
public final class CircuitBreaker {

	private final int threshold;

	private final long coolDownMillis;

	private final InstantSource clock;

	private CircuitState state = CircuitState.CLOSED;

	private int failures;

	private long openedAt;

	public CircuitBreaker(int threshold, Duration coolDown, InstantSource clock) {
		this.threshold = threshold;
		this.coolDownMillis = coolDown.toMillis();
		this.clock = clock;
	}

	/** Whether {@link #tryAcquire()} would let a request through now; changes nothing. */
	public synchronized boolean admits() {
		return switch (this.state) {
			case CLOSED -> true;
			case OPEN -> coolDownOver();
			case HALF_OPEN -> false;
		};
	}

	/**
	 * Lets a request through, or not. After the cool-down the first caller gets the {@link Admission#TRIAL trial};
	 * everyone else is refused until the trial has decided.
	 */
	public synchronized Admission tryAcquire() {
		return switch (this.state) {
			case CLOSED -> Admission.PASSED;
			case OPEN -> {
				if (!coolDownOver()) {
					yield Admission.REFUSED;
				}
				this.state = CircuitState.HALF_OPEN;
				yield Admission.TRIAL;
			}
			case HALF_OPEN -> Admission.REFUSED;
		};
	}

	/**
	 * A request answered: failures start again from zero and the breaker closes.
	 * @return whether this closed a breaker that was open or half-open
	 */
	public synchronized boolean success() {
		this.failures = 0;
		boolean reopened = this.state != CircuitState.CLOSED;
		this.state = CircuitState.CLOSED;
		return reopened;
	}

	/**
	 * A request let through with {@code admission} failed. The breaker opens on the {@code threshold}-th failure in
	 * a row while closed, or on the failure of the trial.
	 * @return whether this opened the breaker
	 */
	public synchronized boolean failure(Admission admission) {
		this.failures++;
		boolean trialFailed = admission == Admission.TRIAL && this.state == CircuitState.HALF_OPEN;
		if (trialFailed || (this.state == CircuitState.CLOSED && this.failures >= this.threshold)) {
			this.state = CircuitState.OPEN;
			this.openedAt = this.clock.millis();
			return true;
		}
		return false;
	}

	/** A request let through with {@code admission} ended without a verdict: a trial lets the next request try. */
	public synchronized void abandon(Admission admission) {
		if (admission == Admission.TRIAL && this.state == CircuitState.HALF_OPEN) {
			this.state = CircuitState.OPEN;
		}
	}

	/**
	 * Another instance sharing this breaker's verdicts (another hub) opened it: a closed breaker opens now, for a
	 * full cool-down, as if it had counted the failures itself.
	 * @return whether this opened the breaker
	 */
	public synchronized boolean openedElsewhere() {
		if (this.state != CircuitState.CLOSED) {
			return false;
		}
		this.state = CircuitState.OPEN;
		this.openedAt = this.clock.millis();
		this.failures = Math.max(this.failures, this.threshold);
		return true;
	}

	/**
	 * Another instance saw the participant answer again: an open breaker closes (a half-open one keeps waiting for
	 * its own trial's verdict).
	 * @return whether this closed the breaker
	 */
	public synchronized boolean closedElsewhere() {
		if (this.state != CircuitState.OPEN) {
			return false;
		}
		this.state = CircuitState.CLOSED;
		this.failures = 0;
		return true;
	}

	/** State, failures in a row, and while open the time until a trial may go (0 otherwise). */
	public synchronized Status status() {
		long retryIn = (this.state == CircuitState.OPEN)
				? Math.max(0, this.openedAt + this.coolDownMillis - this.clock.millis()) : 0;
		return new Status(this.state, this.failures, retryIn);
	}

	/** Whether the breaker is open or half-open. */
	public synchronized boolean isOpen() {
		return this.state != CircuitState.CLOSED;
	}

	public Duration coolDown() {
		return Duration.ofMillis(this.coolDownMillis);
	}

	private boolean coolDownOver() {
		return this.clock.millis() - this.openedAt >= this.coolDownMillis;
	}

	/** How {@link #tryAcquire()} answered; hand it back with the request's verdict. */
	public enum Admission {

		/** Refused: the breaker is open, or its trial is running. */
		REFUSED,
		/** Let through: the breaker is closed. */
		PASSED,
		/** Let through as the one trial after a cool-down. */
		TRIAL;

		public boolean passed() {
			return this != REFUSED;
		}

	}

	/**
	 * @param state closed, open or half-open
	 * @param failures failures in a row since the last success
	 * @param retryInMillis while open, time until a trial may go; 0 otherwise
	 */
	public record Status(CircuitState state, int failures, long retryInMillis) {
	}

}
