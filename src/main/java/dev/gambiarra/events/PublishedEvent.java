package dev.gambiarra.events;

import java.nio.ByteBuffer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * An event as the bus carries it to every subscriber: the event itself, plus its SSE frame once the first stream
 * has encoded it. Every other stream then sends that same frame, so an event is serialised once however many
 * subscribers watch it, and not at all when nobody does.
 */
final class PublishedEvent {

	private final HubEvent event;

	private volatile @Nullable ByteBuffer frame;

	PublishedEvent(HubEvent event) {
		this.event = event;
	}

	HubEvent event() {
		return this.event;
	}

	/**
	 * The frame of this event, encoded on first use. The bus hands an event to its subscribers one after the other on
	 * the publishing thread, so the first one usually encodes it and the rest reuse it (as does a subscriber that
	 * drains its buffer later, on its own thread). Should two threads ever race, both compute the same bytes and
	 * either may stay.
	 */
	ByteBuffer frame(Function<HubEvent, ByteBuffer> encoder) {
		ByteBuffer frame = this.frame;
		if (frame == null) {
			frame = encoder.apply(this.event);
			this.frame = frame;
		}
		return frame;
	}

}
