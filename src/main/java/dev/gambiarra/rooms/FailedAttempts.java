package dev.gambiarra.rooms;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import dev.gambiarra.config.SecurityProperties;
import dev.gambiarra.store.RedisStore;
import dev.gambiarra.web.HubException;

/**
 * Counts wrong credentials (room passwords, host secrets, participant and admin tokens) per client address in a
 * fixed window. A client over the limit gets 429 with {@code Retry-After} before any password is checked, so guessing
 * is slow and cannot keep the argon2 scheduler busy. Memory is bounded: at most {@code trackedClients} addresses are
 * remembered; when full, expired windows go first, then an arbitrary entry.
 */
@Component
public class FailedAttempts {

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	private final int maxFailures;

	private final long windowMillis;

	private final int capacity;

	private final Clock clock;

	private final SharedFailures shared;

	FailedAttempts(SecurityProperties properties, Clock clock) {
		this(properties, clock, SharedFailures.NONE);
	}

	@Autowired
	FailedAttempts(SecurityProperties properties, Clock clock, ObjectProvider<RedisStore> redis) {
		this(properties, clock, SharedFailures.of(redis.getIfAvailable()));
	}

	private FailedAttempts(SecurityProperties properties, Clock clock, SharedFailures shared) {
		this.clock = clock;
		this.maxFailures = properties.maxFailedAttempts();
		this.windowMillis = Math.max(1, properties.failedAttemptsWindow().toMillis());
		this.capacity = properties.trackedClients();
		this.shared = shared;
	}

	/** Throws 429 when this client has used up its failures for the current window. */
	public void check(ServerHttpRequest request) {
		check(clientOf(request));
	}

	/** Throws 429 when {@code client} (an address) has used up its failures for the current window. */
	public void check(String client) {
		Window window = this.windows.get(client);
		if (window == null) {
			return;
		}
		long retryAfterMillis = window.blockedFor(this.clock.millis(), this.maxFailures, this.windowMillis);
		if (retryAfterMillis > 0) {
			throw tooMany(retryAfterMillis);
		}
	}

	/** Records one wrong credential from this client. */
	public void recordFailure(ServerHttpRequest request) {
		recordFailure(clientOf(request));
	}

	/** Records one wrong credential from {@code client} (an address). */
	public void recordFailure(String client) {
		long now = this.clock.millis();
		Window window = this.windows.get(client);
		if (window == null) {
			makeRoom(now);
			window = this.windows.computeIfAbsent(client, (key) -> new Window());
		}
		window.fail(now, this.windowMillis);
		Window counted = window;
		// With hubs sharing a store, the count is the client's failures on every hub: this hub learns the total.
		this.shared.record(client, this.windowMillis,
				(failures, remainingMillis) -> counted.shared(this.clock.millis(), failures, remainingMillis,
						this.windowMillis));
	}

	/** Addresses currently remembered; for tests and metrics. */
	public int tracked() {
		return this.windows.size();
	}

	/** Forgets every client; tests use it to start clean. */
	void clear() {
		this.windows.clear();
		this.shared.clear();
	}

	private void makeRoom(long now) {
		if (this.windows.size() < this.capacity) {
			return;
		}
		this.windows.values().removeIf((window) -> window.expired(now, this.windowMillis));
		Iterator<String> oldest = this.windows.keySet().iterator();
		while (this.windows.size() >= this.capacity && oldest.hasNext()) {
			oldest.next();
			oldest.remove();
		}
	}

	static String clientOf(ServerHttpRequest request) {
		return clientOf(request.getRemoteAddress());
	}

	/** The key failures are counted under: the remote IP address. */
	public static String clientOf(@Nullable InetSocketAddress remote) {
		if (remote == null) {
			return "unknown";
		}
		return (remote.getAddress() != null) ? remote.getAddress().getHostAddress() : remote.getHostString();
	}

	private static HubException tooMany(long retryAfterMillis) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfterMillis + 999) / 1000)));
		return new HubException(HttpStatus.TOO_MANY_REQUESTS, "Too many failed attempts, try again later",
				"too_many_failed_attempts", headers);
	}

	/** Failures of one client in the current fixed window. */
	private static final class Window {

		private long start;

		private int failures;

		synchronized void fail(long now, long length) {
			if (now - this.start >= length) {
				this.start = now;
				this.failures = 0;
			}
			this.failures++;
		}

		synchronized long blockedFor(long now, int max, long length) {
			if (now - this.start >= length || this.failures < max) {
				return 0;
			}
			return this.start + length - now;
		}

		/** Takes the count of every hub: {@code failures} in a window that ends in {@code remaining} ms. */
		synchronized void shared(long now, int failures, long remaining, long length) {
			if (remaining <= 0) {
				return;
			}
			this.start = now + remaining - length;
			this.failures = Math.max(this.failures, failures);
		}

		synchronized boolean expired(long now, long length) {
			return now - this.start >= length;
		}

	}

}
