package dev.gambiarra.tunnel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.pubsub.api.reactive.ChannelMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

import dev.gambiarra.store.RedisStore;
import dev.gambiarra.web.Ids;

/**
 * Tunnel claims in Redis: hash {@code {prefix}tunnels} ({@code "{code} {id}"} -> {@code hub id, claim, advertise
 * URL}, tab-separated), changed by two scripts that also {@code PUBLISH} the change on channel {@code {prefix}tunnels}. Each hub
 * applies the messages to its local view, and reads the whole hash again every third of
 * {@code gambiarra.store.redis.lease-ttl}, so a message lost while Redis was away is made up for. The club's relay
 * secret is {@code {prefix}hub-secret}, created by the first hub ({@code SET NX}) and read by every hub at start.
 */
final class RedisTunnelOwners implements TunnelOwners, ApplicationListener<WebServerInitializedEvent>, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisTunnelOwners.class);

	private static final String CLAIM = """
			redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
			redis.call('PUBLISH', ARGV[3], 'set\\t' .. ARGV[2] .. '\\t' .. ARGV[1])
			return 1""";

	/** Removes the claim if it is this tunnel's; one that is gone counts as ours (nobody claimed it since). */
	private static final String RELEASE = """
			local current = redis.call('HGET', KEYS[1], ARGV[1])
			if not current then return 1 end
			if string.sub(current, 1, #ARGV[2]) ~= ARGV[2] then return 0 end
			redis.call('HDEL', KEYS[1], ARGV[1])
			redis.call('PUBLISH', ARGV[3], 'del\\t' .. current .. '\\t' .. ARGV[1])
			return 1""";

	private final RedisStore redis;

	private final String hubId = Ids.uuid();

	private final String key;

	private final String channel;

	private final String secret;

	private final @Nullable String serverAddress;

	private volatile @Nullable String advertiseUrl;

	/** "{code} {id}" -> the stored value ({@code hub \t claim \t url}), as this hub last heard it. */
	private final Map<String, String> view = new ConcurrentHashMap<>();

	/** Changes heard so far: a full read that raced with one is not applied (the next one will be). */
	private long heard;

	private final Disposable subscription;

	private final Disposable resync;

	/** Connects, reads (or creates) the club's secret and the current claims: blocking, call it at start-up. */
	RedisTunnelOwners(RedisStore redis, @Nullable String advertiseUrl, @Nullable String serverAddress) {
		this.redis = redis;
		this.key = redis.key("tunnels");
		this.channel = redis.key("tunnels");
		this.serverAddress = serverAddress;
		this.advertiseUrl = (advertiseUrl != null && !advertiseUrl.isBlank()) ? checked(advertiseUrl) : null;
		Duration wait = redis.properties().timeout().multipliedBy(5);
		String secretKey = redis.key("hub-secret");
		redis.commands().set(secretKey, Ids.token(43), SetArgs.Builder.nx()).onErrorResume((ex) -> Mono.empty())
			.block(wait);
		String stored = redis.commands().get(secretKey).block(wait);
		if (stored == null || stored.isEmpty()) {
			throw new IllegalStateException("Redis holds no hub secret at " + secretKey);
		}
		this.secret = stored;
		this.subscription = redis.pubSub()
			.observeChannels()
			.filter((message) -> this.channel.equals(message.getChannel()))
			.publishOn(Schedulers.parallel())
			.subscribe(this::heard, (ex) -> logger.warn("Stopped hearing tunnel claims: {}", ex.toString()));
		redis.pubSub().subscribe(this.channel).block(wait);
		readAll().block(wait);
		Duration every = Duration.ofMillis(Math.max(50, redis.properties().leaseTtl().toMillis() / 3));
		this.resync = Flux.interval(every, every, Schedulers.parallel())
			.concatMap((tick) -> readAll().onErrorResume((ex) -> Mono.empty()))
			.subscribe();
	}

	private static String checked(String url) {
		URI uri = URI.create(url.strip());
		if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
			throw new IllegalArgumentException(
					"gambiarra.store.redis.advertise-url must be an http(s) URL with a host: " + url);
		}
		return url.strip().replaceAll("/+$", "");
	}

	/** The default advertise URL, once the server's port is known (from the main web server, not management's). */
	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (this.advertiseUrl == null && event.getApplicationContext().getServerNamespace() == null) {
			this.advertiseUrl = "http://" + hostFor(this.serverAddress) + ":" + event.getWebServer().getPort();
			logger.info("Other hubs reach this hub's tunnels at {} (gambiarra.store.redis.advertise-url)",
					this.advertiseUrl);
		}
	}

	/** {@code server.address} when it names one address, else the first non-loopback address, else 127.0.0.1. */
	static String hostFor(@Nullable String serverAddress) {
		InetAddress chosen = null;
		try {
			if (serverAddress != null && !serverAddress.isBlank()) {
				InetAddress bound = InetAddress.getByName(serverAddress.strip());
				if (!bound.isAnyLocalAddress()) {
					chosen = bound;
				}
			}
			if (chosen == null) {
				chosen = firstNonLoopback();
			}
		}
		catch (java.io.IOException ex) {
			logger.warn("Could not find this hub's address ({}): advertising 127.0.0.1", ex.toString());
		}
		if (chosen == null) {
			return "127.0.0.1";
		}
		String host = chosen.getHostAddress();
		int scope = host.indexOf('%');
		if (chosen instanceof Inet6Address) {
			return "[" + ((scope >= 0) ? host.substring(0, scope) : host) + "]";
		}
		return host;
	}

	private static @Nullable InetAddress firstNonLoopback() throws SocketException {
		InetAddress v6 = null;
		for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			if (!network.isUp() || network.isLoopback()) {
				continue;
			}
			for (InetAddress address : Collections.list(network.getInetAddresses())) {
				if (address.isLoopbackAddress() || address.isLinkLocalAddress()) {
					continue;
				}
				if (address instanceof Inet4Address) {
					return address;
				}
				if (v6 == null) {
					v6 = address;
				}
			}
		}
		return v6;
	}

	@Override
	public @Nullable String elsewhere(String roomCode, String participantId) {
		String value = this.view.get(field(roomCode, participantId));
		if (value == null) {
			return null;
		}
		String[] parts = value.split("\t", 3);
		return (parts.length == 3 && !parts[0].equals(this.hubId)) ? parts[2] : null;
	}

	@Override
	public Mono<Void> claim(String roomCode, String participantId, String claim) {
		String url = this.advertiseUrl;
		if (url == null) {
			logger.warn("Tunnel of participant {} in room {} not recorded: this hub's address is not known yet",
					participantId, roomCode);
			return Mono.empty();
		}
		String field = field(roomCode, participantId);
		String value = this.hubId + "\t" + claim + "\t" + url;
		return this.redis
			.timed(this.redis.commands()
				.<Long>eval(CLAIM, ScriptOutputType.INTEGER, new String[] { this.key }, field, value, this.channel)
				.next())
			.then();
	}

	@Override
	public Mono<Boolean> release(String roomCode, String participantId, String claim) {
		String field = field(roomCode, participantId);
		String prefix = this.hubId + "\t" + claim + "\t";
		return this.redis
			.timed(this.redis.commands()
				.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[] { this.key }, field, prefix, this.channel)
				.next())
			.map((removed) -> removed == 1L);
	}

	@Override
	public String secret() {
		return this.secret;
	}

	/** {@code set|del \t hub \t claim \t url \t field}. */
	private void heard(ChannelMessage<String, String> message) {
		String[] parts = message.getMessage().split("\t", 5);
		if (parts.length != 5) {
			return;
		}
		String value = parts[1] + "\t" + parts[2] + "\t" + parts[3];
		synchronized (this.view) {
			this.heard++;
			if ("set".equals(parts[0])) {
				this.view.put(parts[4], value);
			}
			else if ("del".equals(parts[0])) {
				this.view.remove(parts[4], value);
			}
		}
	}

	/** Reads every claim; applied unless a change was heard meanwhile (it may be newer than this read). */
	private Mono<Void> readAll() {
		return Mono.defer(() -> {
			long before;
			synchronized (this.view) {
				before = this.heard;
			}
			return this.redis.timed(this.redis.commands().hgetall(this.key).collectList()).doOnNext((entries) -> {
				Map<String, String> all = new HashMap<>();
				for (KeyValue<String, String> entry : entries) {
					all.put(entry.getKey(), entry.getValue());
				}
				synchronized (this.view) {
					if (this.heard == before) {
						this.view.keySet().retainAll(all.keySet());
						this.view.putAll(all);
					}
				}
			}).then();
		});
	}

	/** Codes never hold a space; the id is the rest. */
	private static String field(String roomCode, String participantId) {
		return roomCode.toUpperCase(Locale.ROOT) + " " + participantId;
	}

	@Override
	public void close() {
		this.resync.dispose();
		this.subscription.dispose();
	}

}
