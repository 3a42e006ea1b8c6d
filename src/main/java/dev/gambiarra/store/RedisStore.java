package dev.gambiarra.store;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.reactive.RedisPubSubReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.gambiarra.web.HubException;

/**
 * The hub's connections to Redis (Lettuce, non-blocking): one shared by every command, one more for the blocking
 * read of the change stream, so that read never holds up a command. Every command times out after
 * {@code gambiarra.store.redis.timeout}; while Redis is unreachable commands fail at once (they are not queued) and
 * Lettuce reconnects by itself.
 */
public final class RedisStore implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisStore.class);

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> commands;

	private final StatefulRedisConnection<String, String> reader;

	private final StatefulRedisPubSubConnection<String, String> pubSub;

	private final StoreProperties.Redis properties;

	private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

	private RedisStore(RedisClient client, StatefulRedisConnection<String, String> commands,
			StatefulRedisConnection<String, String> reader, StatefulRedisPubSubConnection<String, String> pubSub,
			StoreProperties.Redis properties) {
		this.client = client;
		this.commands = commands;
		this.reader = reader;
		this.pubSub = pubSub;
		this.properties = properties;
	}

	/**
	 * Connects (blocking: call it at start-up, not on an event loop).
	 * @throws StoreUnavailableException when Redis cannot be reached or does not answer
	 */
	public static RedisStore connect(StoreProperties.Redis properties) {
		RedisURI uri = RedisURI.create(properties.url());
		uri.setTimeout(properties.timeout());
		RedisClient client = RedisClient.create(uri);
		client.setOptions(ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(properties.timeout()).build())
			// No Lettuce command timers: each one is a task handed to Lettuce's executor from the calling thread,
			// and that queue's lock can park an event loop. Callers time commands with Reactor instead (timed()).
			.timeoutOptions(TimeoutOptions.create())
			.build());
		StatefulRedisConnection<String, String> commands = null;
		try {
			commands = client.connect();
			StatefulRedisConnection<String, String> reader = client.connect();
			StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
			commands.sync().ping();
			logger.info("State store: Redis at {} (key prefix '{}')", redacted(properties.url()),
					properties.keyPrefix());
			return new RedisStore(client, commands, reader, pubSub, properties);
		}
		catch (RuntimeException ex) {
			if (commands != null) {
				commands.close();
			}
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
			throw new StoreUnavailableException(redacted(properties.url()), ex);
		}
	}

	/** The URL without its password, for logs and messages. */
	public static String redacted(String url) {
		return url.replaceFirst("//([^:@/]*):[^@/]*@", "//$1:***@");
	}

	public RedisReactiveCommands<String, String> commands() {
		return this.commands.reactive();
	}

	/** The connection for blocking reads only ({@code XREAD BLOCK}). */
	public RedisReactiveCommands<String, String> reader() {
		return this.reader.reactive();
	}

	/** The connection for subscriptions (Lettuce subscribes again after a reconnect). */
	public RedisPubSubReactiveCommands<String, String> pubSub() {
		return this.pubSub.reactive();
	}

	public String key(String name) {
		return this.properties.keyPrefix() + name;
	}

	public StoreProperties.Redis properties() {
		return this.properties;
	}

	/** A command capped at {@code gambiarra.store.redis.timeout} (a {@code TimeoutException} beyond). */
	public <T> Mono<T> timed(Mono<T> command) {
		return command.timeout(this.properties.timeout());
	}

	/** Answers {@code PONG} while Redis is reachable. */
	public Mono<String> ping() {
		return timed(commands().ping());
	}

	/** Whether a failure means Redis is unreachable or too slow (as opposed to a bug in a command). */
	public static boolean isUnavailable(Throwable ex) {
		return ex instanceof RedisException || ex instanceof java.util.concurrent.TimeoutException;
	}

	/** What a state change answers while Redis is unreachable: 503 in the route's error shape. */
	public static HubException unavailable() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "1");
		return new HubException(HttpStatus.SERVICE_UNAVAILABLE, "State store unavailable, try again later",
				"store_unavailable", headers);
	}

	/** Maps an unreachable Redis to {@link #unavailable()}, leaving other failures (our own 4xx) alone. */
	public static Throwable translate(Throwable ex) {
		return isUnavailable(ex) ? unavailable() : ex;
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.pubSub.close();
		this.reader.close();
		this.commands.close();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

}
