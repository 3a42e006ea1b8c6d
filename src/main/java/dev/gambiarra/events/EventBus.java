package dev.gambiarra.events;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
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

	private final Object lock = new Object();

	private volatile Sinks.Many<PublishedEvent> sink = Sinks.many().multicast().directBestEffort();

	private volatile Sinks.Empty<Void> closing = Sinks.empty();

	private boolean stopped;

	private final int subscriberBuffer;

	private final AtomicInteger streams = new AtomicInteger();

	private volatile boolean running;

	private volatile @Nullable EventTransport transport;

	EventBus(EventsProperties properties) {
		this.subscriberBuffer = properties.subscriberBuffer();
	}

	/**
	 * Sends an event to every current subscriber that wants it, on this hub or, with a shared store, on every hub;
	 * never blocks, never fails the caller.
	 */
	public void publish(HubEvent event) {
		EventTransport current = this.transport;
		if (current != null) {
			current.send(event);
			return;
		}
		deliver(event);
	}

	/** Hands an event to this hub's subscribers; a transport calls it with every event it carries, in order. */
	public void deliver(HubEvent event) {
		Sinks.EmitResult result;
		synchronized (this.lock) {
			result = this.sink.tryEmitNext(new PublishedEvent(event));
		}
		if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER && logger.isDebugEnabled()) {
			logger.debug("Event {} not delivered: {}", event.type(), result);
		}
	}

	/** From now on, events go through {@code transport} to every hub sharing the store. */
	public void useTransport(EventTransport transport) {
		this.transport = transport;
	}

	/** Events of one room (code matched case-insensitively), with a bounded buffer for this subscriber. */
	public Flux<HubEvent> room(String code) {
		return roomEvents(code).map(PublishedEvent::event);
	}

	/** Every event of every room, plus hub-wide ones. */
	public Flux<HubEvent> all() {
		return allEvents().map(PublishedEvent::event);
	}

	/** {@link #room(String)} as published, so SSE streams can share each event's encoded frame. */
	Flux<PublishedEvent> roomEvents(String code) {
		String room = code.toUpperCase(Locale.ROOT);
		return Flux.defer(() -> bounded(this.sink.asFlux()
			.filter((published) -> room.equals(published.event().room()))));
	}

	/** {@link #all()} as published. */
	Flux<PublishedEvent> allEvents() {
		return Flux.defer(() -> bounded(this.sink.asFlux()));
	}

	/** Completes when the hub begins to shut down. */
	public Mono<Void> closing() {
		return Mono.defer(() -> this.closing.asMono());
	}

	/** Subscribers of the sink: open SSE streams plus the hub's own listeners. */
	public int subscriberCount() {
		return this.sink.currentSubscriberCount();
	}

	/** Open SSE connections, for metrics and consoles. */
	public int streamCount() {
		return this.streams.get();
	}

	/** Counts a new SSE connection unless {@code max} are already open. */
	boolean openStream(int max) {
		if (this.streams.incrementAndGet() > max) {
			this.streams.decrementAndGet();
			return false;
		}
		return true;
	}

	void closeStream() {
		this.streams.decrementAndGet();
	}

	/**
	 * Gives one subscriber its own bounded buffer. On overflow the subscriber fails at once (the error does not wait
	 * behind the buffered events it cannot read), so its connection closes and nothing more is held for it.
	 */
	private Flux<PublishedEvent> bounded(Flux<PublishedEvent> events) {
		return Flux.defer(() -> {
			Sinks.Empty<Void> overflow = Sinks.empty();
			Flux<PublishedEvent> buffered = events.onBackpressureBuffer(this.subscriberBuffer, (dropped) -> {
				logger.info("Dropping a slow event subscriber (buffer of {} full)", this.subscriberBuffer);
				overflow.tryEmitError(new SlowSubscriberException(this.subscriberBuffer));
			}, BufferOverflowStrategy.ERROR);
			// Prefetch 1: the buffer above stays the only place events wait. The overflow side ends with the
			// events, so a completed bus still completes the stream.
			return Flux.merge(1, buffered.doFinally((signal) -> overflow.tryEmitEmpty()),
					overflow.asMono().then(Mono.<PublishedEvent>empty()));
		}).takeUntilOther(closing());
	}

	/** Ends the stream of a subscriber that fell too far behind. */
	static final class SlowSubscriberException extends RuntimeException {

		SlowSubscriberException(int buffer) {
			super("Event subscriber too slow: " + buffer + " events waiting", null, false, false);
		}

	}

	/** Starts, or starts again after a stop with fresh sinks (streams ended by the stop stay ended). */
	@Override
	public void start() {
		synchronized (this.lock) {
			if (this.stopped) {
				this.sink = Sinks.many().multicast().directBestEffort();
				this.closing = Sinks.empty();
				this.stopped = false;
			}
			this.running = true;
		}
	}

	@Override
	public void stop() {
		synchronized (this.lock) {
			this.running = false;
			this.stopped = true;
			this.closing.tryEmitEmpty();
			this.sink.tryEmitComplete();
		}
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
