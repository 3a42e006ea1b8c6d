package dev.gambiarra.rooms;

import java.util.List;

import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gambiarra.store.RedisStore;

/**
 * Failed credentials counted for every hub on the store: one counter per client address in Redis, expiring with its
 * window. A failure is counted there without waiting (the request never waits on it); the answer, the client's
 * failures on all hubs, updates the local window the throttle checks.
 */
interface SharedFailures {

	SharedFailures NONE = (client, windowMillis, total) -> {
	};

	/** Forgets every count this hub shares from now on (tests start clean with it). */
	default void clear() {
	}

	/** Counts one failure of {@code client}; later hands {@code total} the count on every hub and the window left. */
	void record(String client, long windowMillis, Total total);

	static SharedFailures of(@Nullable RedisStore redis) {
		return (redis != null) ? new Redis(redis) : NONE;
	}

	/** The client's failures on every hub and the milliseconds left in their window. */
	interface Total {

		void accept(int failures, long remainingMillis);

	}

	/** {@code INCR} with the window set as expiry on the first failure, in one script. */
	final class Redis implements SharedFailures {

		private static final Logger logger = LoggerFactory.getLogger(SharedFailures.class);

		private static final String COUNT = """
				local failures = redis.call('INCR', KEYS[1])
				if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
				return {failures, redis.call('PTTL', KEYS[1])}""";

		private final RedisStore redis;

		private volatile String generation = "";

		Redis(RedisStore redis) {
			this.redis = redis;
		}

		@Override
		public void clear() {
			this.generation = dev.gambiarra.web.Ids.uuid() + ":";
		}

		@Override
		public void record(String client, long windowMillis, Total total) {
			this.redis.timed(this.redis.commands()
				.<List<Object>>eval(COUNT, ScriptOutputType.MULTI,
						new String[] { this.redis.key("failures:" + this.generation + client) },
						Long.toString(windowMillis))
				.next())
				.subscribe((answer) -> total.accept(((Number) answer.get(0)).intValue(),
						((Number) answer.get(1)).longValue()),
						(ex) -> logger.debug("Failed attempt not shared: {}", ex.toString()));
		}

	}

}
