package dev.gambiarra.rooms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;

/**
 * The default store: everything in this JVM. A room's participants are immutable records swapped atomically; joins
 * are serialised per room so capacity and id checks are exact. A restart forgets everything.
 */
final class MemoryRoomStore implements RoomStore {

	private final Map<String, Room> rooms = new ConcurrentHashMap<>();

	private final EventBus events;

	MemoryRoomStore(EventBus events) {
		this.events = events;
	}

	@Override
	public Map<String, Room> view() {
		return this.rooms;
	}

	@Override
	public boolean shared() {
		return false;
	}

	@Override
	public Mono<Room> load(String code) {
		return Mono.empty();
	}

	@Override
	public Mono<Participant> loadParticipant(Room room, String participantId) {
		return Mono.empty();
	}

	@Override
	public Mono<Collection<Participant>> participants(Room room) {
		return Mono.just(room.participants());
	}

	@Override
	public Mono<Room> add(Room room, int maxRooms) {
		return Mono.fromCallable(() -> {
			if (this.rooms.size() >= maxRooms) {
				throw RoomService.tooManyRooms();
			}
			if (this.rooms.putIfAbsent(room.code(), room) != null) {
				throw RoomService.codeInUse();
			}
			this.events.publish(HubEvent.roomCreated(room.toPublic()));
			return room;
		});
	}

	@Override
	public Mono<Participant> join(Room room, @Nullable Participant existing, Participant joined,
			int maxParticipants) {
		return Mono.fromCallable(() -> {
			synchronized (room) {
				Participant current = room.participants.get(joined.id());
				if (current != existing) {
					throw new RoomService.StaleJoin();
				}
				if (current == null && room.participants.size() >= maxParticipants) {
					throw RoomService.roomFull();
				}
				room.participants.put(joined.id(), joined);
			}
			this.events.publish(HubEvent.participantJoined(room.code(), joined));
			return joined;
		});
	}

	@Override
	public Mono<Boolean> remove(Room room, String participantId, boolean kicked) {
		return Mono.fromCallable(() -> {
			if (room.participants.remove(participantId) == null) {
				return false;
			}
			this.events.publish(kicked ? HubEvent.participantKicked(room.code(), participantId)
					: HubEvent.participantLeft(room.code(), participantId));
			return true;
		});
	}

	@Override
	public Mono<Boolean> close(Room room, String reason) {
		return Mono.fromCallable(() -> {
			if (!this.rooms.remove(room.code(), room)) {
				return false;
			}
			this.events.publish(HubEvent.roomClosed(room.code(), reason));
			return true;
		});
	}

	@Override
	public Mono<Boolean> heartbeat(Room room, String participantId, long now) {
		return Mono.fromCallable(() -> {
			Participant[] before = new Participant[1];
			Participant after = room.participants.computeIfPresent(participantId, (id, current) -> {
				before[0] = current;
				return current.isOffline() ? current.seen(now) : current.withLastSeen(now);
			});
			if (after == null) {
				return false;
			}
			if (before[0] != null && before[0].isOffline()) {
				RoomService.logger.info("Participant {} of room {} is back online", participantId, room.code());
				this.events.publish(HubEvent.participantOnline(room.code(), participantId));
			}
			return true;
		});
	}

	@Override
	public Mono<Boolean> markOffline(Room room, String participantId) {
		return Mono.fromCallable(() -> {
			Participant[] before = new Participant[1];
			room.participants.computeIfPresent(participantId, (id, current) -> {
				before[0] = current;
				return current.isOffline() ? current : current.withStatus(ParticipantStatus.OFFLINE);
			});
			if (before[0] == null || before[0].isOffline()) {
				return false;
			}
			RoomService.logger.info("Participant {} of room {} went offline", participantId, room.code());
			this.events.publish(HubEvent.participantOffline(room.code(), participantId));
			return true;
		});
	}

	@Override
	public Mono<Integer> sweep(long deadline, Duration timeout) {
		return Mono.fromCallable(() -> {
			int count = 0;
			for (Room room : this.rooms.values()) {
				List<String> gone = new ArrayList<>();
				for (Participant participant : room.participants.values()) {
					if (!participant.isOffline() && participant.lastSeen() < deadline) {
						Participant marked = room.participants.computeIfPresent(participant.id(),
								(id, current) -> (!current.isOffline() && current.lastSeen() < deadline)
										? current.withStatus(ParticipantStatus.OFFLINE) : current);
						if (marked != null && marked.isOffline() && marked != participant) {
							gone.add(participant.id());
						}
					}
				}
				for (String id : gone) {
					RoomService.logger.info("Participant {} of room {} went offline", id, room.code());
					this.events.publish(HubEvent.participantOffline(room.code(), id));
				}
				count += gone.size();
			}
			return count;
		});
	}

}
