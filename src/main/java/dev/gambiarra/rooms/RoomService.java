package dev.gambiarra.rooms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.gambiarra.config.LimitsProperties;
import dev.gambiarra.web.HubException;
import dev.gambiarra.web.Ids;

/**
 * The hub's rooms and their participants. Reads come from this hub's view of the {@link RoomStore} (no remote call);
 * every change is validated here, applied atomically by the store and announced once on the {@code EventBus}. With
 * the default in-memory store a restart forgets everything, as the contract says; with a shared store rooms and
 * participants outlive any one hub.
 */
@Service
public class RoomService {

	static final Logger logger = LoggerFactory.getLogger(RoomService.class);

	static final int CODE_LENGTH = 6;

	private final RoomStore store;

	private final RoomPasswords passwords;

	private final LimitsProperties limits;

	private final Clock clock;

	RoomService(RoomStore store, RoomPasswords passwords, LimitsProperties limits, Clock clock) {
		this.store = store;
		this.passwords = passwords;
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
			return Mono.defer(() -> register(name, null, fixedCode));
		}
		return this.passwords.hash(password).flatMap((hash) -> register(name, hash, fixedCode));
	}

	private Mono<CreatedRoom> register(String name, @Nullable String passwordHash, @Nullable String fixedCode) {
		checkRoomCapacity();
		String hostSecret = Ids.uuid();
		return Mono.defer(() -> {
			String code = (fixedCode != null) ? fixedCode.toUpperCase(Locale.ROOT) : Ids.roomCode(CODE_LENGTH);
			Room room = new Room(Ids.uuid(), code, name, hostSecret, Ids.uuid(), this.clock.millis(),
					passwordHash);
			return this.store.add(room, this.limits.maxRooms());
		})
			// A random code that is taken is drawn again; a fixed one is the caller's 409.
			.retryWhen(Retry.max(16).filter((ex) -> fixedCode == null && isCodeInUse(ex)))
			.onErrorMap(Exceptions::isRetryExhausted, Throwable::getCause)
			.map((room) -> {
				logger.info("Room {} created ({})", room.code(), room.isProtected() ? "protected" : "open");
				return new CreatedRoom(room.toOwnerView(), hostSecret);
			});
	}

	private static boolean isCodeInUse(Throwable ex) {
		return ex instanceof HubException hub && "room_code_in_use".equals(hub.code());
	}

	private void checkRoomCapacity() {
		if (this.store.view().size() >= this.limits.maxRooms()) {
			throw tooManyRooms();
		}
	}

	static HubException tooManyRooms() {
		return new HubException(HttpStatus.TOO_MANY_REQUESTS, "Too many rooms on this hub", "too_many_rooms");
	}

	static HubException codeInUse() {
		return new HubException(HttpStatus.CONFLICT, "Room code already in use", "room_code_in_use");
	}

	static HubException roomFull() {
		return new HubException(HttpStatus.TOO_MANY_REQUESTS, "Room is full", "room_full");
	}

	public Collection<Room> rooms() {
		return this.store.view().values();
	}

	public Optional<Room> find(String code) {
		return Optional.ofNullable(this.store.view().get(code.toUpperCase(Locale.ROOT)));
	}

	/** The room with this code (any case), or a 404 {@code Room not found}. */
	public Room require(String code) {
		return find(code).orElseThrow(HubException::roomNotFound);
	}

	/**
	 * The room with this code from this hub's view, or, when the view does not show it (yet), from the store; a 404
	 * {@code Room not found} when it is nowhere. With the in-memory store this is {@link #require(String)}.
	 */
	public Mono<Room> resolve(String code) {
		Room room = this.store.view().get(code.toUpperCase(Locale.ROOT));
		if (room != null) {
			return Mono.just(room);
		}
		return this.store.load(code.toUpperCase(Locale.ROOT)).switchIfEmpty(Mono.error(HubException::roomNotFound));
	}

	/** The participant from this hub's view or, when not shown yet, from the store; 404 when it is nowhere. */
	public Mono<Participant> resolveParticipant(Room room, String participantId) {
		Participant participant = room.participant(participantId);
		if (participant != null) {
			return Mono.just(participant);
		}
		return this.store.loadParticipant(room, participantId).switchIfEmpty(Mono.error(RoomService::participantNotFound));
	}

	/** A room's participants for a listing, {@code lastSeen} as fresh as the store knows it. */
	public Mono<Collection<Participant>> participants(Room room) {
		return this.store.participants(room);
	}

	/** Whether rooms outlive this hub: a shared store keeps them when the hub stops. */
	public boolean sharedStore() {
		return this.store.shared();
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
	public Mono<JoinResult> join(Room room, Registration registration, @Nullable String token) {
		return Mono.defer(() -> {
			Participant existing = room.participant(registration.id());
			Mono<@Nullable Participant> current = (existing != null) ? Mono.just(existing)
					: this.store.loadParticipant(room, registration.id());
			return current.map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap((found) -> {
				Participant before = found.orElse(null);
				if (before != null && !isParticipantToken(before, token)) {
					return Mono.error(new HubException(HttpStatus.CONFLICT, "Participant ID already in use",
							"participant_id_in_use"));
				}
				long now = this.clock.millis();
				String participantToken = (before != null) ? before.token() : Ids.token(32);
				long joinedAt = (before != null) ? before.joinedAt() : now;
				Participant joined = new Participant(registration.id(), registration.nickname(), registration.model(),
						registration.endpoint(), registration.config(), registration.specs(), ParticipantStatus.ONLINE,
						joinedAt, now, registration.apiKey(), participantToken, registration.maxConcurrent());
				return this.store.join(room, before, joined, this.limits.maxParticipantsPerRoom())
					.doOnNext((done) -> logger.info("Participant {} {} room {} (model {})", done.id(),
							(before != null) ? "updated in" : "joined", room.code(), done.model()));
			});
		})
			// Someone else registered or updated this id meanwhile: look again (the token decides).
			.retryWhen(Retry.max(3).filter(StaleJoin.class::isInstance))
			.onErrorMap(Exceptions::isRetryExhausted, (ex) -> new HubException(HttpStatus.CONFLICT,
					"Participant ID already in use", "participant_id_in_use"))
			.map((joined) -> new JoinResult(joined, room.id(), joined.token()));
	}

	/** Removes a participant who leaves on its own. */
	public Mono<Void> leave(Room room, String participantId) {
		return this.store.remove(room, participantId, false).flatMap((removed) -> {
			if (!removed) {
				return Mono.error(participantNotFound());
			}
			logger.info("Participant {} left room {}", participantId, room.code());
			return Mono.empty();
		});
	}

	/** Removes a participant on the host's or an admin's order. */
	public Mono<Void> kick(Room room, String participantId) {
		return this.store.remove(room, participantId, true).flatMap((removed) -> {
			if (!removed) {
				return Mono.error(participantNotFound());
			}
			logger.info("Participant {} kicked from room {}", participantId, room.code());
			return Mono.empty();
		});
	}

	/** Closes a room: its participants are forgotten and its event streams end with {@code room:closed}. */
	public Mono<Void> close(Room room, String reason) {
		return this.store.close(room, reason).doOnNext((closed) -> {
			if (closed) {
				logger.info("Room {} closed ({})", room.code(), reason);
			}
		}).then();
	}

	/** Records a heartbeat: {@code lastSeen} moves to now and an offline participant comes back online. */
	public Mono<Void> heartbeat(Room room, String participantId) {
		return this.store.heartbeat(room, participantId, this.clock.millis())
			.flatMap((known) -> known ? Mono.empty() : Mono.error(participantNotFound()));
	}

	/**
	 * Marks participants not seen for longer than {@code timeout} offline, announcing each transition once.
	 * @return how many participants went offline
	 */
	public Mono<Integer> sweep(Duration timeout) {
		return Mono.defer(() -> this.store.sweep(this.clock.millis() - timeout.toMillis(), timeout));
	}

	/**
	 * Marks a participant offline at once (its tunnel closed), announcing the transition once (on every hub with
	 * a shared store); nothing happens if it is offline already or gone.
	 */
	public Mono<Void> markOffline(Room room, String participantId) {
		return this.store.markOffline(room, participantId).then();
	}

	/**
	 * Replaces a participant's status in this hub's view if it is still registered; the proxy's busy/online.
	 */
	public @Nullable Participant updateStatus(Room room, String participantId, ParticipantStatus from,
			ParticipantStatus to) {
		return room.participants.computeIfPresent(participantId,
				(id, current) -> (current.status() == from) ? current.withStatus(to) : current);
	}

	static HubException participantNotFound() {
		return HubException.notFound("Participant not found", "participant_not_found");
	}

	private static boolean constantTimeEquals(String expected, String actual) {
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				actual.getBytes(StandardCharsets.UTF_8));
	}

	/** A join raced another registration of the same id; it is tried again from a fresh read. */
	static final class StaleJoin extends RuntimeException {

		StaleJoin() {
			super("participant changed meanwhile", null, false, false);
		}

	}

}
