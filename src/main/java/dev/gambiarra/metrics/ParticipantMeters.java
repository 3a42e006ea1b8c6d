package dev.gambiarra.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Counters of one participant in one room, and the meters tagged with it. Lives while the participant is
 * registered; {@link #remove()} takes its meters out of the registry, so tag values never outlive a participant.
 */
final class ParticipantMeters {

	static final String REQUESTS = "gambiarra.proxy.requests";

	static final String FIRST_TOKEN = "gambiarra.proxy.first.token";

	static final String DURATION = "gambiarra.proxy.duration";

	static final String TOKENS_PER_SECOND = "gambiarra.proxy.tokens.per.second";

	static final String TOKENS = "gambiarra.proxy.tokens";

	static final String IN_FLIGHT = "gambiarra.proxy.inflight";

	private static final Duration[] LATENCY_BUCKETS = { Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
			Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
			Duration.ofSeconds(120), Duration.ofSeconds(300) };

	private static final double[] SPEED_BUCKETS = { 1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 500 };

	private final String model;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final LongAdder completed = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final LongAdder cancelled = new LongAdder();

	private final LongAdder tokens = new LongAdder();

	private final LongAdder firstTokenCount = new LongAdder();

	private final LongAdder firstTokenMillis = new LongAdder();

	private final LongAdder speedCount = new LongAdder();

	private final DoubleAdder speedSum = new DoubleAdder();

	private final MeterRegistry registry;

	private final Map<Outcome, Counter> requestCounters = new EnumMap<>(Outcome.class);

	private final Timer firstToken;

	private final Timer duration;

	private final DistributionSummary speed;

	private final Counter tokenCounter;

	private final List<Meter> meters = new ArrayList<>();

	ParticipantMeters(MeterRegistry registry, String room, String participantId, String model) {
		this.registry = registry;
		this.model = model;
		Tags tags = Tags.of("room", room, "participant", participantId, "model", model);
		for (Outcome outcome : Outcome.values()) {
			this.requestCounters.put(outcome, keep(Counter.builder(REQUESTS)
				.description("Proxied requests by how they ended")
				.tags(tags)
				.tag("outcome", outcome.tag())
				.register(registry)));
		}
		this.firstToken = keep(Timer.builder(FIRST_TOKEN)
			.description("Time from forwarding a request to the first generated token")
			.tags(tags)
			.serviceLevelObjectives(LATENCY_BUCKETS)
			.register(registry));
		this.duration = keep(Timer.builder(DURATION)
			.description("Time from forwarding a request to the end of its answer")
			.tags(tags)
			.serviceLevelObjectives(LATENCY_BUCKETS)
			.register(registry));
		this.speed = keep(DistributionSummary.builder(TOKENS_PER_SECOND)
			.description("Generation speed of successful answers")
			.baseUnit("tokens")
			.tags(tags)
			.serviceLevelObjectives(SPEED_BUCKETS)
			.register(registry));
		this.tokenCounter = keep(Counter.builder(TOKENS)
			.description("Tokens generated")
			.baseUnit("tokens")
			.tags(tags)
			.register(registry));
		keep(Gauge.builder(IN_FLIGHT, this.inFlight, AtomicInteger::get)
			.description("Requests being answered right now")
			.tags(tags)
			.register(registry));
	}

	private <M extends Meter> M keep(M meter) {
		this.meters.add(meter);
		return meter;
	}

	String model() {
		return this.model;
	}

	int inFlight() {
		return this.inFlight.get();
	}

	void started() {
		this.inFlight.incrementAndGet();
	}

	/** Records one finished request; the latencies are {@code -1} when unknown. */
	void finished(Outcome outcome, long firstTokenNanos, long durationNanos, long tokenCount,
			double tokensPerSecond) {
		this.inFlight.decrementAndGet();
		this.requestCounters.get(outcome).increment();
		switch (outcome) {
			case SUCCESS -> this.completed.increment();
			case CANCELLED -> this.cancelled.increment();
			default -> this.errors.increment();
		}
		if (outcome != Outcome.SUCCESS) {
			return;
		}
		this.duration.record(durationNanos, TimeUnit.NANOSECONDS);
		if (firstTokenNanos >= 0) {
			this.firstToken.record(firstTokenNanos, TimeUnit.NANOSECONDS);
			this.firstTokenCount.increment();
			this.firstTokenMillis.add(TimeUnit.NANOSECONDS.toMillis(firstTokenNanos));
		}
		if (tokenCount > 0) {
			this.tokens.add(tokenCount);
			this.tokenCounter.increment(tokenCount);
			this.speed.record(tokensPerSecond);
			this.speedCount.increment();
			this.speedSum.add(tokensPerSecond);
		}
	}

	void remove() {
		for (Meter meter : this.meters) {
			this.registry.remove(meter);
		}
	}

	ParticipantSnapshot snapshot(String participantId, @Nullable String nickname, @Nullable String status) {
		long firstTokens = this.firstTokenCount.sum();
		long speeds = this.speedCount.sum();
		Long averageFirstToken = (firstTokens > 0) ? this.firstTokenMillis.sum() / firstTokens : null;
		Double averageSpeed = (speeds > 0) ? Math.round(this.speedSum.sum() / speeds * 10.0) / 10.0 : null;
		return new ParticipantSnapshot(participantId, nickname, this.model, status, this.inFlight.get(),
				this.completed.sum(), this.errors.sum(), this.cancelled.sum(), this.tokens.sum(), averageFirstToken,
				averageSpeed);
	}

	static ParticipantSnapshot idle(String participantId, String nickname, String model, String status) {
		return new ParticipantSnapshot(participantId, nickname, model, status, 0, 0, 0, 0, 0, null, null);
	}

}
