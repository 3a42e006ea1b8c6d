package dev.gambiarra.proxy;

import java.util.HashMap;
import java.util.Map;

import dev.gambiarra.rooms.Room;

/**
 * The in-flight lease accounting of one room: how many requests each participant serves right now. Not
 * thread-safe: the {@link LoadBalancer} only touches it under the room's monitor, together with the room's queue,
 * so choosing a participant and counting the lease are one step.
 */
final class InFlight {

	private final Map<String, Count> counts = new HashMap<>();

	/** Requests {@code participantId} serves now. */
	int of(String participantId) {
		Count count = this.counts.get(participantId);
		return (count != null) ? count.value : 0;
	}

	/** Counts one more lease; returns the new count. */
	int add(String participantId) {
		return ++this.counts.computeIfAbsent(participantId, (id) -> new Count()).value;
	}

	/** Counts one lease less; returns the new count. */
	int remove(String participantId) {
		Count count = this.counts.get(participantId);
		if (count == null || count.value == 0) {
			throw new IllegalStateException("No lease of " + participantId + " is in flight");
		}
		return --count.value;
	}

	/** Requests in flight in this room. */
	int total() {
		int total = 0;
		for (Count count : this.counts.values()) {
			total += count.value;
		}
		return total;
	}

	/** Forgets idle participants who left the room. */
	void prune(Room room) {
		if (this.counts.size() > room.participants().size()) {
			this.counts.entrySet()
				.removeIf((entry) -> entry.getValue().value == 0 && room.participant(entry.getKey()) == null);
		}
	}

	private static final class Count {

		private int value;

	}

}
