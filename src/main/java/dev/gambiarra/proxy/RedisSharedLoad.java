package dev.gambiarra.proxy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.lettuce.core.pubsub.api.reactive.ChannelMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import dev.gambiarra.store.RedisStore;
import dev.gambiarra.web.Ids;

/**
 * In-flight counts shared over Redis pub/sub. Each hub publishes its own count for a participant whenever it changes
 * ({@code PUBLISH}, not awaited) and again every third of {@code gambiarra.store.redis.lease-ttl} for every
 * participant it has requests on: that repeat is the lease. Every hub keeps the last count heard from each other hub;
 * one not repeated within the lease time is dropped, so a crashed hub's requests stop counting after
 * {@code lease-ttl} and never leave a participant busy for ever.
 * <p>
 * The counts travel one Redis hop: two requests arriving on two hubs within that hop may both pass a
 * {@code maxConcurrent} cap (each hub enforces its own requests exactly).
 */
final class RedisSharedLoad implements SharedLoad, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisSharedLoad.class);

	private final RedisStore redis;

	private final String channel;

	private final String hubId = Ids.uuid();

	private final long leaseMillis;

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

	private void publish(String key, int inFlight) {
		this.redis.commands()
			.publish(this.channel, this.hubId + "\t" + key + "\t" + inFlight)
			.subscribe(null, (ex) -> logger.debug("Load update not sent: {}", ex.toString()));
	}

	/** Repeats this hub's counts (the lease) and forgets other hubs' counts that were not repeated in time. */
	private void renew() {
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

}
