package dev.gambiarra.rooms;

import java.time.Clock;
import java.util.Map;

import org.springframework.util.unit.DataSize;

import dev.gambiarra.config.LimitsProperties;
import dev.gambiarra.events.EventBus;

import static org.mockito.Mockito.mock;

/** A real {@link RoomService} for unit tests outside this package: open rooms only (no password hashing). */
public final class TestRooms {

	private TestRooms() {
	}

	public static RoomService service(EventBus events, Clock clock) {
		return new RoomService(new MemoryRoomStore(events), mock(RoomPasswords.class),
				new LimitsProperties(DataSize.ofMegabytes(10), 1000, 256, 100, 2048), clock);
	}

	/** A new open room. */
	public static Room room(RoomService rooms) {
		return rooms.require(rooms.create("test", null).block().room().code());
	}

	/** Joins a participant serving {@code model} that takes at most {@code maxConcurrent} requests at once. */
	public static Participant join(RoomService rooms, Room room, String id, String model, int maxConcurrent) {
		return rooms.join(room, new Registration(id, "nick-" + id, model, "http://127.0.0.1:1", Map.of(), Map.of(),
				null, maxConcurrent), null).block().participant();
	}

}
