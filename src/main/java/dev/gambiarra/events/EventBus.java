package dev.gambiarra.events;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The hub's broadcast: one multicast sink, every SSE subscriber a filtered view of it. A subscriber that reads too
 * slowly overflows its own bounded buffer and is dropped; it never slows the sink, the hub or other subscribers.
 * On shutdown every stream completes, so open SSE connections do not hold the graceful shutdown.
 */
@Component
public class EventBus implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(EventBus.class);

	private final Sinks.Many<HubEvent> sink = Sinks.many().multicast().directBestEffort();

	private final Sinks.Empty<Void> closing = Sinks.empty();

	private final int subscriberBuffer;

	private volatile boolean running;

	EventBus(EventsProperties properties) {
		this.subscriberBuffer = properties.subscriberBuffer();
	}

	/** Sends an event to every current subscriber that wants it; never blocks, never fails the caller. */
	public void publish(HubEvent event) {
		Sinks.EmitResult result;
		synchronized (this.sink) {
			result = this.sink.tryEmitNext(event);
		}
		if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER && logger.isDebugEnabled()) {
			logger.debug("Event {} not delivered: {}", event.type(), result);
		}
	}

	/** Events of one room (code matched case-insensitively), with a bounded buffer for this subscriber. */
	public Flux<HubEvent> room(String code) {
		String room = code.toUpperCase(Locale.ROOT);
		return bounded(this.sink.asFlux().filter((event) -> room.equals(event.room())));
	}

	/** Every event of every room, plus hub-wide ones. */
	public Flux<HubEvent> all() {
		return bounded(this.sink.asFlux());
	}

	/** Completes when the hub begins to shut down. */
	public Mono<Void> closing() {
		return this.closing.asMono();
	}

	public int subscriberCount() {
		return this.sink.currentSubscriberCount();
	}

	private Flux<HubEvent> bounded(Flux<HubEvent> events) {
		return events.onBackpressureBuffer(this.subscriberBuffer,
				(dropped) -> logger.info("Dropping a slow event subscriber (buffer of {} full)", this.subscriberBuffer),
				BufferOverflowStrategy.ERROR)
			.takeUntilOther(closing());
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.closing.tryEmitEmpty();
		this.sink.tryEmitComplete();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public boolean isPauseable() {
		// Stopping ends every stream for good (shutdown); a paused test context could not restart it.
		return false;
	}

}
