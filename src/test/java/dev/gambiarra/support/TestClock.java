package dev.gambiarra.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import reactor.test.scheduler.VirtualTimeScheduler;

/** A clock that moves only when a test steps it, so cool-downs and windows pass without waiting. */
public final class TestClock extends Clock {

	private final LongSupplier millis;

	private final LongConsumer step;

	/** A clock of its own, starting at 2026-01-01T00:00:00Z. */
	public TestClock() {
		this(new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli()));
	}

	private TestClock(AtomicLong millis) {
		this(millis::get, millis::addAndGet);
	}

	private TestClock(LongSupplier millis, LongConsumer step) {
		this.millis = millis;
		this.step = step;
	}

	/** The virtual time of {@code scheduler} as a clock: stepping one steps the other, timers included. */
	public static TestClock of(VirtualTimeScheduler scheduler) {
		return new TestClock(() -> scheduler.now(TimeUnit.MILLISECONDS),
				(delta) -> scheduler.advanceTimeBy(Duration.ofMillis(delta)));
	}

	/** Moves the clock forward. */
	public void advance(Duration duration) {
		this.step.accept(duration.toMillis());
	}

	@Override
	public long millis() {
		return this.millis.getAsLong();
	}

	@Override
	public Instant instant() {
		return Instant.ofEpochMilli(millis());
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("a test clock is in UTC");
	}

}
