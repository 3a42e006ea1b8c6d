package dev.gambiarra.rooms;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where rooms and participants are kept, and who announces their changes. {@link RoomService} validates and builds
 * the changes; a store applies them atomically and announces each on the event bus once. Reads are always served
 * from {@link #view()}, this hub's copy of the rooms: the whole state for the in-memory store, a cache kept fresh
 * by the store's change stream for a shared one, so routing a request never waits on a remote call.
 */
interface RoomStore {

	/** This hub's rooms by upper-case code; read it, never change it outside the store. */
	Map<String, Room> view();

	/** Whether rooms outlive this hub (a shared store): a hub that stops then does not close them. */
	boolean shared();

	/** A room this hub does not know yet, looked up where the rooms are kept; empty when it does not exist. */
	Mono<Room> load(String code);

	/** A participant this hub's copy does not show yet, looked up where it is kept; empty when unknown. */
	Mono<Participant> loadParticipant(Room room, String participantId);

	/** A room's participants as listed to clients, {@code lastSeen} as fresh as the store knows it. */
	Mono<Collection<Participant>> participants(Room room);

	/** Adds a room: 409 when its code is taken, 429 when {@code maxRooms} exist. */
	Mono<Room> add(Room room, int maxRooms);

	/**
	 * Registers {@code joined}, replacing {@code existing} (the participant it updates, or {@code null} for a new
	 * one): 409 when the id was taken meanwhile, 429 when the room holds {@code maxParticipants}.
	 */
	Mono<Participant> join(Room room, @Nullable Participant existing, Participant joined, int maxParticipants);

	/** Removes a participant; {@code false} when it was not there. */
	Mono<Boolean> remove(Room room, String participantId, boolean kicked);

	/** Closes a room; {@code false} when it was closed already. */
	Mono<Boolean> close(Room room, String reason);

	/** Records a heartbeat at {@code now}; {@code false} when the participant is not registered. */
	Mono<Boolean> heartbeat(Room room, String participantId, long now);

	/** Marks one participant offline now (its tunnel closed); {@code false} when it was offline already or gone. */
	Mono<Boolean> markOffline(Room room, String participantId);

	/** Marks participants not seen since {@code deadline} offline, each transition announced once; how many. */
	Mono<Integer> sweep(long deadline, Duration timeout);

}
