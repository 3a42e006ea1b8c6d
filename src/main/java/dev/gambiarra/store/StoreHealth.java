package dev.gambiarra.store;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code store} health contributor, part of the readiness group: always up with the in-memory store; with Redis,
 * up while Redis answers a {@code PING} in time, so a load balancer stops sending traffic to a hub that lost Redis
 * and sends it again once Redis is back.
 */
@Component("store")
class StoreHealth implements ReactiveHealthIndicator {

	private final @Nullable RedisStore redis;

	private final Duration timeout;

	StoreHealth(org.springframework.beans.factory.ObjectProvider<RedisStore> redis, StoreProperties properties) {
		this.redis = redis.getIfAvailable();
		this.timeout = properties.redis().timeout();
	}

	@Override
	public Mono<Health> health() {
		RedisStore store = this.redis;
		if (store == null) {
			return Mono.just(Health.up().withDetail("type", "memory").build());
		}
		return store.ping()
			.timeout(this.timeout)
			.map((pong) -> Health.up().withDetail("type", "redis").build())
			.onErrorResume((ex) -> Mono.just(Health.down().withDetail("type", "redis")
				.withDetail("error", ex.getClass().getSimpleName()).build()));
	}

}
