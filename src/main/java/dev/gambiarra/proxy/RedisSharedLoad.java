package dev.gambiarra.proxy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.api.reactive.ChannelMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.gambiarra.store.RedisStore;
import dev.gambiarra.web.Ids;

/**
 * Load shared over Redis, in two parts.
 * <ul>
 * <li><b>Slots, exact.</b> Each participant's {@code maxConcurrent} slots are a sorted set
 * {@code {prefix}slots:{code}:{id}} of leases ({@code hubId:slot}), each scored by its expiry on Redis's clock. One
 * script takes a slot: it drops expired leases and adds this one only while fewer than {@code maxConcurrent} are
 * live, so two hubs can never both take the last slot. Every third of {@code gambiarra.store.redis.lease-ttl} one
 * script renews all of this hub's live leases; a released lease is removed ({@code ZREM}, not awaited). A hub that
 * crashes or is cut off stops renewing, and its leases expire after {@code lease-ttl}: it never leaves a participant
 * busy for ever.</li>
 * <li><b>Counts, gossiped.</b> Each hub publishes its own in-flight count for a participant whenever it changes
 * ({@code PUBLISH}, not awaited) and again with every renewal. Every hub keeps the last count heard from each other
 * hub (one not repeated within the lease time is dropped) for least-busy routing, read locally, and a count that
 * drops tells it that requests waiting for that room may try for a slot again.</li>
 * </ul>
 */
final class RedisSharedLoad implements SharedLoad, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisSharedLoad.class);

	/** Takes one slot: KEYS[1] the participant's leases; ARGV lease, maxConcurrent, lease TTL (ms). 1 or 0. */
	private static final String TAKE = """
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
			redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
			redis.call('PEXPIRE', KEYS[1], ARGV[3])
			return 1""";

	/**
	 * Renews this hub's leases: KEYS[i] holds the lease ARGV[i + 1]; ARGV[1] the lease TTL (ms). A lease already
	 * released or expired is not brought back. Answers how many were not found.
	 */
	private static final String RENEW = """
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			local ttl = tonumber(ARGV[1])
			local lost = 0
			for i, key in ipairs(KEYS) do
				local expiry = redis.call('ZSCORE', key, ARGV[i + 1])
				if expiry and tonumber(expiry) > now then
					redis.call('ZADD', key, now + ttl, ARGV[i + 1])
					redis.call('PEXPIRE', key, ttl)
				else
					lost = lost + 1
				end
			end
			return lost""";

	private final RedisStore redis;

	private final String channel;

	private final String hubId = Ids.uuid();

	private final long leaseMillis;

	/** The lease TTL in milliseconds, as the scripts take it. */
	private final String leaseTtl;

	/** This hub's slots taken (or asked for) and not released yet: slot number -> where it is. */
	private final Map<Long, Slot> live = new ConcurrentHashMap<>();

	/** "room participant" -> this hub's count. */
	private final Map<String, Integer> mine = new ConcurrentHashMap<>();

	/** "room participant" -> hub id -> the count that hub last published. */
	private final Map<String, Map<String, Heard>> others = new ConcurrentHashMap<>();

	private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

	private final Disposable subscription;

	private final Disposable renewal;

	RedisSharedLoad(RedisStore redis) {
		this.redis = redis;
		this.channel = redis.key("load");
		this.leaseMillis = redis.properties().leaseTtl().toMillis();
		this.leaseTtl = Long.toString(this.leaseMillis);
		this.subscription = redis.pubSub()
			.observeChannels()
			.filter((message) -> this.channel.equals(message.getChannel()))
			// Off Lettuce's I/O thread: a request woken by freed capacity starts its relay where this runs.
			.publishOn(Schedulers.parallel())
			.subscribe(this::heard, (ex) -> logger.warn("Stopped hearing other hubs' load: {}", ex.toString()));
		redis.pubSub().subscribe(this.channel).block(redis.properties().timeout().multipliedBy(5));
		Duration every = Duration.ofMillis(Math.max(50, this.leaseMillis / 3));
		this.renewal = Flux.interval(every, every, Schedulers.parallel()).subscribe((tick) -> renew());
	}

	@Override
	public int elsewhere(String room, String participantId) {
		Map<String, Heard> hubs = this.others.get(key(room, participantId));
		if (hubs == null) {
			return 0;
		}
		long now = System.currentTimeMillis();
		int total = 0;
		for (Heard heard : hubs.values()) {
			if (now - heard.at < this.leaseMillis) {
				total += heard.inFlight;
			}
		}
		return total;
	}

	@Override
	public void changed(String room, String participantId, int inFlight) {
		String key = key(room, participantId);
		if (inFlight > 0) {
			this.mine.put(key, inFlight);
		}
		else {
			this.mine.remove(key);
		}
		publish(key, inFlight);
	}

	@Override
	public void onFreed(Consumer<String> listener) {
		this.listeners.add(listener);
	}

	@Override
	public boolean exact() {
		return true;
	}

	@Override
	public Mono<Boolean> take(String room, String participantId, long slot, int maxConcurrent) {
		Slot taken = new Slot(this.redis.key("slots:" + room + ":" + participantId), this.hubId + ":" + slot);
		// Kept before the answer: a slot taken by a script that timed out here is still renewed and released.
		this.live.put(slot, taken);
		return this.redis.timed(this.redis.commands()
			.<Long>eval(TAKE, ScriptOutputType.INTEGER, new String[] { taken.key() }, taken.member(),
					Integer.toString(maxConcurrent), this.leaseTtl)
			.next())
			.defaultIfEmpty(0L)
			.map((granted) -> {
				if (granted == 0) {
					this.live.remove(slot);
				}
				return granted == 1;
			})
			// Off Lettuce's I/O thread: the granted request starts its relay where this answer arrives.
			.publishOn(Schedulers.parallel());
	}

	@Override
	public void release(String room, String participantId, long slot) {
		Slot taken = this.live.remove(slot);
		if (taken != null) {
			this.redis.commands()
				.zrem(taken.key(), taken.member())
				.subscribe(null, (ex) -> logger.debug("Slot not released (it expires): {}", ex.toString()));
		}
	}

	@Override
	public long retryMillis() {
		return Math.max(50, this.leaseMillis / 3);
	}

	private void publish(String key, int inFlight) {
		this.redis.commands()
			.publish(this.channel, this.hubId + "\t" + key + "\t" + inFlight)
			.subscribe(null, (ex) -> logger.debug("Load update not sent: {}", ex.toString()));
	}

	/** Repeats this hub's counts (the lease) and forgets other hubs' counts that were not repeated in time. */
	private void renew() {
		renewSlots();
		this.mine.forEach(this::publish);
		long now = System.currentTimeMillis();
		Set<String> freed = new HashSet<>();
		this.others.forEach((key, hubs) -> {
			if (hubs.values().removeIf((heard) -> now - heard.at >= this.leaseMillis)) {
				freed.add(room(key));
			}
		});
		this.others.values().removeIf(Map::isEmpty);
		freed.forEach(this::freed);
	}

	/** One script for every live slot of this hub. */
	private void renewSlots() {
		List<Slot> slots = List.copyOf(this.live.values());
		if (slots.isEmpty()) {
			return;
		}
		String[] keys = new String[slots.size()];
		String[] args = new String[slots.size() + 1];
		args[0] = this.leaseTtl;
		for (int i = 0; i < slots.size(); i++) {
			keys[i] = slots.get(i).key();
			args[i + 1] = slots.get(i).member();
		}
		this.redis.timed(this.redis.commands().<Long>eval(RENEW, ScriptOutputType.INTEGER, keys, args).next())
			.subscribe((lost) -> {
				if (lost > 0 && logger.isDebugEnabled()) {
					logger.debug("{} of {} slot(s) were gone when renewed (released, or expired while cut off)", lost,
							slots.size());
				}
			}, (ex) -> logger.debug("Slots not renewed: {}", ex.toString()));
	}

	private void heard(ChannelMessage<String, String> message) {
		String[] parts = message.getMessage().split("\t", 3);
		if (parts.length != 3 || parts[0].equals(this.hubId)) {
			return;
		}
		int separator = parts[2].lastIndexOf('\t');
		if (separator < 0) {
			return;
		}
		String key = parts[1] + "\t" + parts[2].substring(0, separator);
		int inFlight;
		try {
			inFlight = Integer.parseInt(parts[2].substring(separator + 1));
		}
		catch (NumberFormatException ex) {
			return;
		}
		Map<String, Heard> hubs = this.others.computeIfAbsent(key, (k) -> new ConcurrentHashMap<>());
		Heard before = (inFlight > 0) ? hubs.put(parts[0], new Heard(inFlight, System.currentTimeMillis()))
				: hubs.remove(parts[0]);
		if (before != null && before.inFlight > inFlight) {
			freed(parts[1]);
		}
	}

	private void freed(String room) {
		for (Consumer<String> listener : this.listeners) {
			try {
				listener.accept(room);
			}
			catch (RuntimeException ex) {
				logger.warn("Load listener failed: {}", ex.toString());
			}
		}
	}

	/** Codes never hold a tab; participant ids are validated ids. */
	private static String key(String room, String participantId) {
		return room + "\t" + participantId;
	}

	private static String room(String key) {
		return key.substring(0, key.indexOf('\t'));
	}

	@Override
	public void close() {
		this.renewal.dispose();
		this.subscription.dispose();
	}

	private record Heard(int inFlight, long at) {
	}

	private record Slot(String key, String member) {
	}

}
