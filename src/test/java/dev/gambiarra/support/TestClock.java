package dev.gambiarra.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test steps it, so cool-downs and windows pass without waiting. */
public final class TestClock extends Clock {

	private final AtomicLong millis;

	public TestClock() {
		this(Instant.parse("2026-01-01T00:00:00Z"));
	}

	public TestClock(Instant start) {
		this.millis = new AtomicLong(start.toEpochMilli());
	}

	/** Moves the clock forward. */
	public void advance(Duration duration) {
		this.millis.addAndGet(duration.toMillis());
	}

	@Override
	public long millis() {
		return this.millis.get();
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
