package dev.gambiarra.rooms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.EventTransport;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.store.RedisStore;
import dev.gambiarra.web.HubException;

/**
 * Rooms and participants in Redis, shared by every hub on it, surviving restarts. Each change is one Lua script that
 * applies it and appends its event to one Redis stream, atomically: the stream is the order of everything that
 * happens in the club. Every hub reads that stream (a blocking {@code XREAD} on its own connection, resumed from the
 * last entry it applied, so a reconnect neither skips nor repeats one), applies each entry to its local view and
 * hands the event to its local {@link EventBus}: every SSE stream on every hub carries every event of its room, in
 * stream order, exactly once. The hub's other events (requests, circuit) are appended to the same stream.
 * <p>
 * Reads never touch Redis: they are served from the view. A change answers once this hub's reader has applied it
 * (read-your-writes); a room this hub does not know makes it catch up with the stream first. Heartbeats only move a
 * participant's score in a presence sorted set; the sweep script marks overdue participants offline and announces it
 * in the same step, so each transition happens once, on whichever hub sweeps first.
 *
 * <pre>
 * {prefix}rooms              hash   code -> room (with host secret and password hash)
 * {prefix}room:{code}:p      hash   participant id -> participant (with token and api key)
 * {prefix}room:{code}:s      hash   participant id -> online | busy | offline
 * {prefix}presence           zset   "{code} {id}" -> last heartbeat (epoch ms)
 * {prefix}events             stream t=type r=room d=data JSON [x=state JSON]
 * </pre>
 */
final class RedisRoomStore implements RoomStore, EventTransport, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisRoomStore.class);

	/**
	 * Stream entries read at a time. A batch reaches the local bus in one burst, faster than SSE subscribers drain,
	 * and a subscriber whose buffer ({@code gambiarra.events.subscriber-buffer}, 256) overflows is dropped: with 512 a
	 * follower that fell behind under load cut every SSE stream of a busy room (the scale-out benchmark lost 770 of
	 * 1,000 events across hubs). Far below the buffer, a batch always fits.
	 */
	private static final int READ_BATCH = 32;

	private static final String XADD = "redis.call('XADD', KEYS[#KEYS], 'MAXLEN', '~', ARGV[#ARGV], '*', ";

	private static final String ADD_ROOM = """
			if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 'full' end
			if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 'taken' end
			return %s't', 'room:created', 'r', '', 'x', ARGV[2])""".formatted(XADD);

	private static final String JOIN = """
			if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 'gone' end
			local current = redis.call('HGET', KEYS[2], ARGV[2])
			local token = current and cjson.decode(current)['token'] or ''
			if token ~= ARGV[3] then return 'stale' end
			if not current and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[5]) then return 'full' end
			redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
			redis.call('HSET', KEYS[3], ARGV[2], 'online')
			redis.call('ZADD', KEYS[4], ARGV[6], ARGV[7])
			return %s't', 'participant:joined', 'r', ARGV[1], 'x', ARGV[4])""".formatted(XADD);

	private static final String REMOVE = """
			if redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then return 'none' end
			redis.call('HDEL', KEYS[2], ARGV[2])
			redis.call('ZREM', KEYS[3], ARGV[5])
			return %s't', ARGV[3], 'r', ARGV[1], 'd', ARGV[4])""".formatted(XADD);

	private static final String CLOSE = """
			local current = redis.call('HGET', KEYS[1], ARGV[1])
			if not current or cjson.decode(current)['id'] ~= ARGV[3] then return 'none' end
			redis.call('HDEL', KEYS[1], ARGV[1])
			for _, id in ipairs(redis.call('HKEYS', KEYS[2])) do redis.call('ZREM', KEYS[4], ARGV[1] .. ' ' .. id) end
			redis.call('DEL', KEYS[2], KEYS[3])
			return %s't', 'room:closed', 'r', ARGV[1], 'd', ARGV[2])""".formatted(XADD);

	private static final String HEARTBEAT = """
			if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then return 'none' end
			redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
			if redis.call('HGET', KEYS[2], ARGV[2]) ~= 'offline' then return 'ok' end
			redis.call('HSET', KEYS[2], ARGV[2], 'online')
			return %s't', 'participant:online', 'r', ARGV[1], 'd', ARGV[5])""".formatted(XADD);

	private static final String MARK_OFFLINE = """
			if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then return 'none' end
			local status = redis.call('HGET', KEYS[2], ARGV[2])
			if not status or status == 'offline' then return 'none' end
			redis.call('HSET', KEYS[2], ARGV[2], 'offline')
			return %s't', 'participant:offline', 'r', ARGV[1], 'd', ARGV[3])""".formatted(XADD);

	private static final String SWEEP = """
			local gone = {}
			for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])) do
				local space = string.find(member, ' ', 1, true)
				local code = string.sub(member, 1, space - 1)
				local id = string.sub(member, space + 1)
				local statuses = ARGV[2] .. 'room:' .. code .. ':s'
				local status = redis.call('HGET', statuses, id)
				if not status then
					redis.call('ZREM', KEYS[1], member)
				elseif status ~= 'offline' then
					redis.call('HSET', statuses, id, 'offline')
					table.insert(gone, %s't', 'participant:offline', 'r', code,
						'd', cjson.encode({participantId = id})))
				end
			end
			return gone""".formatted(XADD);

	private final RedisStore redis;

	private final EventBus events;

	private final JsonMapper json;

	private final Map<String, Room> rooms = new ConcurrentHashMap<>();

	private final String roomsKey;

	private final String presenceKey;

	private final String eventsKey;

	private final String maxLength;

	private final Duration timeout;

	private final Object appliedLock = new Object();

	private StreamId applied = StreamId.ZERO;

	private final List<Waiter> waiters = new ArrayList<>();

	private volatile @Nullable Disposable reading;

	private final Scheduler delivery = Schedulers.newSingle("store-events", true);

	RedisRoomStore(RedisStore redis, EventBus events, JsonMapper json) {
		this.redis = redis;
		this.events = events;
		this.json = json;
		this.roomsKey = redis.key("rooms");
		this.presenceKey = redis.key("presence");
		this.eventsKey = redis.key("events");
		this.maxLength = Long.toString(redis.properties().streamLength());
		this.timeout = redis.properties().timeout();
	}

	/**
	 * Loads every room and participant, then follows the stream from where the snapshot began (blocking: call it
	 * at start-up). Entries written while the snapshot loads are applied again; applying is idempotent.
	 */
	void start() {
		Duration wait = this.timeout.multipliedBy(5);
		String tail = this.redis.commands()
			.xrevrange(this.eventsKey, Range.unbounded(), Limit.create(0, 1))
			.next()
			.map(StreamMessage::getId)
			.defaultIfEmpty("0-0")
			.block(wait);
		Map<String, Double> seen = new HashMap<>();
		for (ScoredValue<String> scored : this.redis.commands()
			.zrangeWithScores(this.presenceKey, 0, -1)
			.collectList()
			.block(wait)) {
			seen.put(scored.getValue(), scored.getScore());
		}
		int participants = 0;
		for (KeyValue<String, String> entry : this.redis.commands().hgetall(this.roomsKey).collectList().block(wait)) {
			Room room = readRoom(entry.getValue());
			Map<String, String> statuses = new HashMap<>();
			this.redis.commands()
				.hgetall(statusesKey(room.code()))
				.collectList()
				.block(wait)
				.forEach((status) -> statuses.put(status.getKey(), status.getValue()));
			for (KeyValue<String, String> stored : this.redis.commands()
				.hgetall(participantsKey(room.code()))
				.collectList()
				.block(wait)) {
				Participant participant = readParticipant(stored.getValue(), statuses.get(stored.getKey()));
				Double lastSeen = seen.get(member(room.code(), participant.id()));
				room.participants.put(participant.id(),
						(lastSeen != null) ? participant.withLastSeen(lastSeen.longValue()) : participant);
				participants++;
			}
			this.rooms.put(room.code(), room);
		}
		this.applied = StreamId.parse(tail);
		logger.info("State store: {} room(s) and {} participant(s) loaded from Redis", this.rooms.size(),
				participants);
		this.events.useTransport(this);
		this.reading = follow(tail);
	}

	/** Reads the stream from {@code from} on, for ever; a lost connection is retried and resumes where it was. */
	private Disposable follow(String from) {
		long block = Math.max(50, Math.min(1000, this.timeout.toMillis() / 2));
		String[] position = { from };
		Duration cap = this.timeout.plusMillis(block);
		return Flux.defer(() -> this.redis.reader()
			.xread(XReadArgs.Builder.block(block).count(READ_BATCH), XReadArgs.StreamOffset.from(this.eventsKey, position[0]))
			.collectList()
			.timeout(cap))
			// Applied and delivered on a thread of our own, in order: not on Lettuce's I/O thread (a request woken
			// by an event would otherwise start its relay there).
			.publishOn(this.delivery)
			.doOnNext((batch) -> {
				for (StreamMessage<String, String> message : batch) {
					apply(message);
					position[0] = message.getId();
				}
			})
			.repeat()
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
				.maxBackoff(Duration.ofSeconds(2))
				.doBeforeRetry((signal) -> logger.debug("Event stream read failed, retrying: {}",
						signal.failure().toString())))
			.subscribe(null, (ex) -> logger.error("Stopped following the event stream", ex));
	}

	/** Applies one stream entry to the view, then hands its event to the local bus. */
	private void apply(StreamMessage<String, String> message) {
		Map<String, String> body = message.getBody();
		HubEvent event = null;
		try {
			event = applyState(body);
		}
		catch (RuntimeException ex) {
			logger.warn("Skipping event stream entry {}: {}", message.getId(), ex.toString());
		}
		StreamId id = StreamId.parse(message.getId());
		List<Waiter> done = new ArrayList<>();
		synchronized (this.appliedLock) {
			this.applied = id;
			for (Iterator<Waiter> it = this.waiters.iterator(); it.hasNext();) {
				Waiter waiter = it.next();
				if (waiter.id.compareTo(id) <= 0) {
					it.remove();
					done.add(waiter);
				}
			}
		}
		if (event != null) {
			this.events.deliver(event);
		}
		done.forEach((waiter) -> waiter.sink.success());
	}

	private @Nullable HubEvent applyState(Map<String, String> body) {
		String type = body.get("t");
		String code = body.getOrDefault("r", "");
		String state = body.get("x");
		if (type == null) {
			return null;
		}
		switch (type) {
			case "room:created" -> {
				Room room = readRoom(state);
				Room current = this.rooms.putIfAbsent(room.code(), room);
				return HubEvent.roomCreated(((current != null) ? current : room).toPublic());
			}
			case "room:closed" -> this.rooms.remove(code);
			case "participant:joined" -> {
				Room room = this.rooms.get(code);
				Participant participant = readParticipant(state, "online");
				if (room != null) {
					room.participants.put(participant.id(), participant);
				}
				return HubEvent.participantJoined(code, participant);
			}
			default -> {
			}
		}
		Map<String, Object> data = data(body.get("d"));
		Room room = code.isEmpty() ? null : this.rooms.get(code);
		if (room != null && data.get("participantId") instanceof String id) {
			switch (type) {
				case "participant:left", "participant:kicked" -> room.participants.remove(id);
				case "participant:offline" -> room.participants.computeIfPresent(id,
						(key, current) -> current.withStatus(ParticipantStatus.OFFLINE));
				case "participant:online" -> room.participants.computeIfPresent(id,
						(key, current) -> current.isOffline() ? current.seen(System.currentTimeMillis())
								: current.withStatus(ParticipantStatus.ONLINE));
				case "participant:busy" -> room.participants.computeIfPresent(id,
						(key, current) -> current.isOnline() ? current.withStatus(ParticipantStatus.BUSY) : current);
				default -> {
				}
			}
		}
		return new HubEvent(code.isEmpty() ? null : code, type, data);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> data(@Nullable String data) {
		if (data == null || data.isEmpty()) {
			return Map.of();
		}
		Object value = this.json.readValue(data, Object.class);
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of("value", value);
	}

	/** Completes once this hub's reader has applied the stream entry {@code id} (or after the timeout). */
	private Mono<Void> applied(String id) {
		StreamId target = StreamId.parse(id);
		return Mono.<Void>create((sink) -> {
			synchronized (this.appliedLock) {
				if (this.applied.compareTo(target) >= 0) {
					sink.success();
					return;
				}
				Waiter waiter = new Waiter(target, sink);
				this.waiters.add(waiter);
				sink.onCancel(() -> {
					synchronized (this.appliedLock) {
						this.waiters.remove(waiter);
					}
				});
			}
		}).timeout(this.timeout, Mono.empty());
	}

	/** Catches up with everything appended to the stream so far. */
	private Mono<Void> catchUp() {
		return this.redis.timed(this.redis.commands()
			.xrevrange(this.eventsKey, Range.unbounded(), Limit.create(0, 1))
			.next())
			.flatMap((last) -> applied(last.getId()));
	}

	/**
	 * Where stream entries are applied and delivered, one batch per task. A task queued there during a batch runs
	 * only after it, which is how a test plays a subscriber that can read only between two batches.
	 */
	Scheduler delivery() {
		return this.delivery;
	}

	@Override
	public Map<String, Room> view() {
		return this.rooms;
	}

	@Override
	public boolean shared() {
		return true;
	}

	@Override
	public Mono<Room> load(String code) {
		return this.redis.timed(this.redis.commands().hexists(this.roomsKey, code))
			.flatMap((exists) -> exists ? catchUp().then(Mono.fromSupplier(() -> this.rooms.get(code)))
					: Mono.empty())
			.onErrorMap(RedisStore::translate);
	}

	@Override
	public Mono<Participant> loadParticipant(Room room, String participantId) {
		return this.redis.timed(this.redis.commands().hget(participantsKey(room.code()), participantId))
			.map((stored) -> readParticipant(stored, "online"))
			.onErrorMap(RedisStore::translate);
	}

	@Override
	public Mono<Room> add(Room room, int maxRooms) {
		String state = write(StoredRoom.of(room));
		return script(ADD_ROOM, keys(this.roomsKey), room.code(), state, Integer.toString(maxRooms))
			.flatMap((result) -> switch (result) {
				case "full" -> Mono.error(RoomService.tooManyRooms());
				case "taken" -> Mono.error(RoomService.codeInUse());
				default -> applied(result).then(Mono.fromSupplier(() -> {
					Room current = this.rooms.get(room.code());
					return (current != null) ? current : room;
				}));
			});
	}

	@Override
	public Mono<Participant> join(Room room, @Nullable Participant existing, Participant joined,
			int maxParticipants) {
		String code = room.code();
		String state = write(StoredParticipant.of(joined));
		return script(JOIN, keys(this.roomsKey, participantsKey(code), statusesKey(code), this.presenceKey), code,
				joined.id(), (existing != null) ? existing.token() : "", state, Integer.toString(maxParticipants),
				Long.toString(joined.lastSeen()), member(code, joined.id()))
			.flatMap((result) -> switch (result) {
				case "gone" -> Mono.error(HubException.roomNotFound());
				case "stale" -> Mono.error(new RoomService.StaleJoin());
				case "full" -> Mono.error(RoomService.roomFull());
				default -> applied(result).then(Mono.fromSupplier(() -> {
					Participant current = room.participant(joined.id());
					return (current != null) ? current : joined;
				}));
			});
	}

	@Override
	public Mono<Boolean> remove(Room room, String participantId, boolean kicked) {
		HubEvent event = kicked ? HubEvent.participantKicked(room.code(), participantId)
				: HubEvent.participantLeft(room.code(), participantId);
		String code = room.code();
		return script(REMOVE, keys(participantsKey(code), statusesKey(code), this.presenceKey), code, participantId,
				event.type(), write(event.data()), member(code, participantId))
			.flatMap((result) -> "none".equals(result) ? Mono.just(false) : applied(result).thenReturn(true));
	}

	@Override
	public Mono<Boolean> close(Room room, String reason) {
		String code = room.code();
		return script(CLOSE, keys(this.roomsKey, participantsKey(code), statusesKey(code), this.presenceKey), code,
				write(HubEvent.roomClosed(code, reason).data()), room.id())
			.flatMap((result) -> "none".equals(result) ? Mono.just(false) : applied(result).thenReturn(true));
	}

	@Override
	public Mono<Boolean> heartbeat(Room room, String participantId, long now) {
		String code = room.code();
		return script(HEARTBEAT, keys(participantsKey(code), statusesKey(code), this.presenceKey), code,
				participantId, Long.toString(now), member(code, participantId),
				write(HubEvent.participantOnline(code, participantId).data()))
			.flatMap((result) -> switch (result) {
				case "none" -> Mono.just(false);
				case "ok" -> Mono.fromSupplier(() -> {
					room.participants.computeIfPresent(participantId, (id, current) -> current.withLastSeen(now));
					return true;
				});
				default -> {
					RoomService.logger.info("Participant {} of room {} is back online", participantId, code);
					yield applied(result).then(Mono.fromSupplier(() -> {
						room.participants.computeIfPresent(participantId, (id, current) -> current.withLastSeen(now));
						return true;
					}));
				}
			});
	}

	@Override
	public Mono<Boolean> markOffline(Room room, String participantId) {
		String code = room.code();
		return script(MARK_OFFLINE, keys(participantsKey(code), statusesKey(code)), code, participantId,
				write(HubEvent.participantOffline(code, participantId).data()))
			.flatMap((result) -> {
				if ("none".equals(result)) {
					return Mono.just(false);
				}
				RoomService.logger.info("Participant {} of room {} went offline", participantId, code);
				return applied(result).thenReturn(true);
			});
	}

	@Override
	public Mono<Integer> sweep(long deadline, Duration timeout) {
		return this.redis.timed(this.redis.commands()
			.<List<Object>>eval(SWEEP, ScriptOutputType.MULTI, new String[] { this.presenceKey, this.eventsKey },
					Long.toString(deadline), this.redis.key(""), this.maxLength)
			.next())
			.flatMap((gone) -> {
				if (gone.isEmpty()) {
					return Mono.just(0);
				}
				RoomService.logger.info("{} participant(s) went offline", gone.size());
				return applied(String.valueOf(gone.get(gone.size() - 1))).thenReturn(gone.size());
			})
			.onErrorMap(RedisStore::translate);
	}

	/** Participants of a room with their last heartbeat as Redis has it (another hub may have received it). */
	@Override
	public Mono<Collection<Participant>> participants(Room room) {
		List<Participant> participants = List.copyOf(room.participants());
		if (participants.isEmpty()) {
			return Mono.just(participants);
		}
		String[] members = participants.stream().map((p) -> member(room.code(), p.id())).toArray(String[]::new);
		return this.redis.timed(this.redis.commands().zmscore(this.presenceKey, members)).map((scores) -> {
			List<Participant> seen = new ArrayList<>(participants.size());
			for (int i = 0; i < participants.size(); i++) {
				Double score = (i < scores.size()) ? scores.get(i) : null;
				Participant participant = participants.get(i);
				seen.add((score != null && score.longValue() > participant.lastSeen())
						? participant.withLastSeen(score.longValue()) : participant);
			}
			return (Collection<Participant>) seen;
		}).onErrorResume(RedisStore::isUnavailable, (ex) -> Mono.just(participants));
	}

	/** Appends a hub event (a request, a circuit change) to the shared stream; never blocks, never fails the caller. */
	@Override
	public void send(HubEvent event) {
		String data;
		try {
			data = write(event.data());
		}
		catch (RuntimeException ex) {
			logger.warn("Event {} not sent: {}", event.type(), ex.toString());
			return;
		}
		// Not timed: nobody waits for it, and a Reactor timer per event would cost more than the XADD.
		this.redis.commands()
			.xadd(this.eventsKey, XAddArgs.Builder.maxlen(this.redis.properties().streamLength()).approximateTrimming(),
					"t", event.type(), "r", (event.room() != null) ? event.room() : "", "d", data)
			.subscribe(null, (ex) -> logger.debug("Event {} not sent: {}", event.type(), ex.toString()));
	}

	private Mono<String> script(String script, String[] keys, String... args) {
		String[] values = new String[args.length + 1];
		System.arraycopy(args, 0, values, 0, args.length);
		values[args.length] = this.maxLength;
		return this.redis.timed(this.redis.commands().<String>eval(script, ScriptOutputType.VALUE, keys, values).next())
			.onErrorMap(RedisStore::translate);
	}

	/** The keys of a script, the event stream last. */
	private String[] keys(String... keys) {
		String[] all = new String[keys.length + 1];
		System.arraycopy(keys, 0, all, 0, keys.length);
		all[keys.length] = this.eventsKey;
		return all;
	}

	private String participantsKey(String code) {
		return this.redis.key("room:" + code + ":p");
	}

	private String statusesKey(String code) {
		return this.redis.key("room:" + code + ":s");
	}

	private static String member(String code, String participantId) {
		return code + " " + participantId;
	}

	private String write(Object value) {
		return this.json.writeValueAsString(value);
	}

	private Room readRoom(@Nullable String state) {
		StoredRoom stored = this.json.readValue(state, StoredRoom.class);
		return new Room(stored.id(), stored.code().toUpperCase(Locale.ROOT), stored.name(), stored.hostSecret(),
				stored.publicHostId(), stored.createdAt(), stored.passwordHash());
	}

	private Participant readParticipant(@Nullable String state, @Nullable String status) {
		StoredParticipant stored = this.json.readValue(state, StoredParticipant.class);
		ParticipantStatus parsed = switch ((status != null) ? status : "online") {
			case "busy" -> ParticipantStatus.BUSY;
			case "offline" -> ParticipantStatus.OFFLINE;
			default -> ParticipantStatus.ONLINE;
		};
		return stored.toParticipant(parsed);
	}

	@Override
	public void close() {
		Disposable current = this.reading;
		if (current != null) {
			current.dispose();
		}
		this.reading = null;
		this.delivery.dispose();
	}

	private record Waiter(StreamId id, MonoSink<Void> sink) {
	}

	/** A stream entry id, {@code <ms>-<seq>}, ordered as Redis orders them. */
	record StreamId(long millis, long sequence) implements Comparable<StreamId> {

		static final StreamId ZERO = new StreamId(0, 0);

		static StreamId parse(String id) {
			int dash = id.indexOf('-');
			return (dash < 0) ? new StreamId(Long.parseLong(id), 0)
					: new StreamId(Long.parseLong(id, 0, dash, 10), Long.parseLong(id, dash + 1, id.length(), 10));
		}

		@Override
		public int compareTo(StreamId other) {
			int byTime = Long.compare(this.millis, other.millis);
			return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
		}

	}

	/** A room as Redis keeps it, secrets included. */
	record StoredRoom(String id, String code, String name, String hostSecret, String publicHostId, long createdAt,
			@Nullable String passwordHash) {

		static StoredRoom of(Room room) {
			return new StoredRoom(room.id(), room.code(), room.name(), room.hostSecret(), room.toPublic().hostId(),
					room.createdAt(), room.passwordHash());
		}

	}

	/** A participant as Redis keeps it, secrets included; its status and last heartbeat are kept apart. */
	record StoredParticipant(String id, String nickname, String model, String endpoint, Map<String, Object> config,
			Map<String, Object> specs, long joinedAt, long lastSeen, @Nullable String apiKey, String token,
			int maxConcurrent) {

		static StoredParticipant of(Participant participant) {
			return new StoredParticipant(participant.id(), participant.nickname(), participant.model(),
					participant.endpoint(), participant.config(), participant.specs(), participant.joinedAt(),
					participant.lastSeen(), participant.apiKey(), participant.token(), participant.maxConcurrent());
		}

		Participant toParticipant(ParticipantStatus status) {
			return new Participant(this.id, this.nickname, this.model, this.endpoint, this.config, this.specs, status,
					this.joinedAt, this.lastSeen, this.apiKey, this.token, this.maxConcurrent);
		}

	}

}
