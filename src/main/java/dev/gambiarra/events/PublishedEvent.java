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
	 * The frame of this event, encoded on first use. The bus hands an event to all its subscribers on the publishing
	 * thread, one after the other, so the first one encodes it; should two threads ever race, both compute the same
	 * bytes and either may stay.
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
