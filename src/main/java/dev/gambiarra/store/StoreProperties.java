package dev.gambiarra.store;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where rooms, participants, load and events are kept.
 *
 * @param type {@code memory} (this JVM only, the default) or {@code redis} (shared by every hub on the same Redis,
 * survives restarts)
 * @param redis the Redis connection, used when {@code type} is {@code redis}
 */
@Validated
@ConfigurationProperties("gambiarra.store")
public record StoreProperties(@DefaultValue("memory") Type type, @DefaultValue Redis redis) {

	public boolean isRedis() {
		return this.type == Type.REDIS;
	}

	/** The kinds of store. */
	public enum Type {

		MEMORY, REDIS

	}

	/**
	 * @param url {@code redis://[user:password@]host:port[/database]} ({@code rediss://} for TLS)
	 * @param keyPrefix prefix of every key this hub reads and writes; hubs of one club share it
	 * @param timeout cap on every Redis command and on connecting
	 * @param fallbackToMemory when Redis is unreachable at start: {@code false} stops the hub (exit 1), {@code true}
	 * starts it with the in-memory store and a loud warning
	 * @param streamLength events kept in the shared event stream (approximate, older ones are trimmed)
	 * @param leaseTtl how long an in-flight request counts against a participant without its hub renewing it, so a
	 * crashed hub's requests stop counting after this
	 * @param advertiseUrl the base URL ({@code http://host:port}) the other hubs use to reach this hub, to send it the
	 * requests for the tunnels open here; it must be reachable from them. Unset: {@code http://<server.address or
	 * this machine's first non-loopback address, else 127.0.0.1>:<the server's port>}
	 */
	public record Redis(@DefaultValue("redis://127.0.0.1:6379") String url,
			@DefaultValue("gambiarra:") String keyPrefix, @DefaultValue("2s") Duration timeout,
			@DefaultValue("false") boolean fallbackToMemory, @DefaultValue("10000") @Min(100) long streamLength,
			@DefaultValue("15s") Duration leaseTtl, @Nullable String advertiseUrl) {

	}

}
