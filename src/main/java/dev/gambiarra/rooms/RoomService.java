package dev.gambiarra.rooms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.gambiarra.config.LimitsProperties;
import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.web.HubException;
import dev.gambiarra.web.Ids;

/**
 * The hub's state: rooms by code and their participants, in memory. Every change is applied atomically and then
 * announced on the {@link EventBus}; a restart forgets everything, as the contract says.
 */
@Service
public class RoomService {

	private static final Logger logger = LoggerFactory.getLogger(RoomService.class);

	static final int CODE_LENGTH = 6;

	private final Map<String, Room> rooms = new ConcurrentHashMap<>();

	private final RoomPasswords passwords;

	private final EventBus events;

	private final LimitsProperties limits;

	private final Clock clock;

	RoomService(RoomPasswords passwords, EventBus events, LimitsProperties limits, Clock clock) {
		this.passwords = passwords;
		this.events = events;
		this.limits = limits;
		this.clock = clock;
	}

	/** Creates a room, hashing its password (if any) off the event loop. */
	public Mono<CreatedRoom> create(String name, @Nullable String password) {
		return create(name, password, null);
	}

	/**
	 * Creates a room with a chosen code (the demo room uses a fixed one); {@code null} draws a random code.
	 */
	public Mono<CreatedRoom> create(String name, @Nullable String password, @Nullable String fixedCode) {
		checkRoomCapacity();
		if (password == null || password.isEmpty()) {
			return Mono.fromCallable(() -> register(name, null, fixedCode));
		}
		return this.passwords.hash(password).map((hash) -> register(name, hash, fixedCode));
	}

	private CreatedRoom register(String name, @Nullable String passwordHash, @Nullable String fixedCode) {
		checkRoomCapacity();
		String hostSecret = Ids.uuid();
		Room room;
		do {
			String code = (fixedCode != null) ? fixedCode.toUpperCase(Locale.ROOT) : Ids.roomCode(CODE_LENGTH);
			room = new Room(Ids.uuid(), code, name, hostSecret, Ids.uuid(), this.clock.millis(), passwordHash);
			if (this.rooms.putIfAbsent(code, room) == null) {
				break;
			}
			if (fixedCode != null) {
				throw new HubException(HttpStatus.CONFLICT, "Room code already in use", "room_code_in_use");
			}
		}
		while (true);
		logger.info("Room {} created ({})", room.code(), room.isProtected() ? "protected" : "open");
		this.events.publish(HubEvent.roomCreated(room.toPublic()));
		return new CreatedRoom(room.toOwnerView(), hostSecret);
	}

	private void checkRoomCapacity() {
		if (this.rooms.size() >= this.limits.maxRooms()) {
			throw new HubException(HttpStatus.TOO_MANY_REQUESTS, "Too many rooms on this hub", "too_many_rooms");
		}
	}

	public Collection<Room> rooms() {
		return this.rooms.values();
	}

	public Optional<Room> find(String code) {
		return Optional.ofNullable(this.rooms.get(code.toUpperCase(Locale.ROOT)));
	}

	/** The room with this code (any case), or a 404 {@code Room not found}. */
	public Room require(String code) {
		return find(code).orElseThrow(HubException::roomNotFound);
	}

	/** Whether {@code password} opens {@code room}; argon2 runs at most once per room, off the event loop. */
	public Mono<Boolean> passwordMatches(Room room, @Nullable String password) {
		return this.passwords.matches(room, password);
	}

	/** Whether {@code secret} is the room owner's {@code hostId}, compared in constant time. */
	public boolean isHost(Room room, @Nullable String secret) {
		return secret != null && constantTimeEquals(room.hostSecret(), secret);
	}

	/** Whether {@code token} is this participant's token, compared in constant time. */
	public static boolean isParticipantToken(Participant participant, @Nullable String token) {
		return token != null && constantTimeEquals(participant.token(), token);
	}

	/**
	 * Registers a participant. An id already in the room is refused unless {@code token} is that participant's
	 * token, in which case its registration is updated in place.
	 */
	public JoinResult join(Room room, Registration registration, @Nullable String token) {
		long now = this.clock.millis();
		Participant joined;
		boolean updated;
		synchronized (room) {
			Participant existing = room.participants.get(registration.id());
			if (existing != null && !isParticipantToken(existing, token)) {
				throw new HubException(HttpStatus.CONFLICT, "Participant ID already in use", "participant_id_in_use");
			}
			if (existing == null && room.participants.size() >= this.limits.maxParticipantsPerRoom()) {
				throw new HubException(HttpStatus.TOO_MANY_REQUESTS, "Room is full", "room_full");
			}
			updated = existing != null;
			String participantToken = (existing != null) ? existing.token() : Ids.token(32);
			long joinedAt = (existing != null) ? existing.joinedAt() : now;
			joined = new Participant(registration.id(), registration.nickname(), registration.model(),
					registration.endpoint(), registration.config(), registration.specs(), ParticipantStatus.ONLINE,
					joinedAt, now, registration.apiKey(), participantToken, registration.maxConcurrent());
			room.participants.put(joined.id(), joined);
		}
		logger.info("Participant {} {} room {} (model {})", joined.id(), updated ? "updated in" : "joined",
				room.code(), joined.model());
		this.events.publish(HubEvent.participantJoined(room.code(), joined));
		return new JoinResult(joined, room.id(), joined.token());
	}

	/** Removes a participant who leaves on its own. */
	public void leave(Room room, String participantId) {
		if (room.participants.remove(participantId) == null) {
			throw participantNotFound();
		}
		logger.info("Participant {} left room {}", participantId, room.code());
		this.events.publish(HubEvent.participantLeft(room.code(), participantId));
	}

	/** Removes a participant on the host's or an admin's order. */
	public void kick(Room room, String participantId) {
		if (room.participants.remove(participantId) == null) {
			throw participantNotFound();
		}
		logger.info("Participant {} kicked from room {}", participantId, room.code());
		this.events.publish(HubEvent.participantKicked(room.code(), participantId));
	}

	/** Closes a room: its participants are forgotten and its event streams end with {@code room:closed}. */
	public void close(Room room, String reason) {
		if (this.rooms.remove(room.code(), room)) {
			logger.info("Room {} closed ({})", room.code(), reason);
			this.events.publish(HubEvent.roomClosed(room.code(), reason));
		}
	}

	/** Records a heartbeat: {@code lastSeen} moves to now and an offline participant comes back online. */
	public void heartbeat(Room room, String participantId) {
		long now = this.clock.millis();
		Participant[] before = new Participant[1];
		Participant after = room.participants.computeIfPresent(participantId, (id, current) -> {
			before[0] = current;
			return current.isOffline() ? current.seen(now) : current.withLastSeen(now);
		});
		if (after == null) {
			throw participantNotFound();
		}
		if (before[0] != null && before[0].isOffline()) {
			logger.info("Participant {} of room {} is back online", participantId, room.code());
			this.events.publish(HubEvent.participantOnline(room.code(), participantId));
		}
	}

	/**
	 * Marks participants not seen for longer than {@code timeout} offline, announcing each transition once.
	 * @return how many participants went offline
	 */
	public int sweep(Duration timeout) {
		long deadline = this.clock.millis() - timeout.toMillis();
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
				logger.info("Participant {} of room {} went offline", id, room.code());
				this.events.publish(HubEvent.participantOffline(room.code(), id));
			}
			count += gone.size();
		}
		return count;
	}

	/**
	 * Marks a participant offline at once (its tunnel closed), announcing the transition once; nothing happens if
	 * it is offline already or gone.
	 */
	public void markOffline(Room room, String participantId) {
		Participant[] before = new Participant[1];
		room.participants.computeIfPresent(participantId, (id, current) -> {
			before[0] = current;
			return current.isOffline() ? current : current.withStatus(ParticipantStatus.OFFLINE);
		});
		if (before[0] != null && !before[0].isOffline()) {
			logger.info("Participant {} of room {} went offline", participantId, room.code());
			this.events.publish(HubEvent.participantOffline(room.code(), participantId));
		}
	}

	/** Replaces a participant's status if it is still registered; used by the proxy for busy/online. */
	public @Nullable Participant updateStatus(Room room, String participantId, ParticipantStatus from,
			ParticipantStatus to) {
		return room.participants.computeIfPresent(participantId,
				(id, current) -> (current.status() == from) ? current.withStatus(to) : current);
	}

	private static HubException participantNotFound() {
		return HubException.notFound("Participant not found", "participant_not_found");
	}

	private static boolean constantTimeEquals(String expected, String actual) {
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				actual.getBytes(StandardCharsets.UTF_8));
	}

}
