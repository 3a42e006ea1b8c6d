package dev.gambiarra.tunnel;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.gambiarra.store.RedisStore;
import dev.gambiarra.store.StoreProperties;

/** Records which hub holds each tunnel when the store is Redis; nothing to record with the in-memory store. */
@Configuration(proxyBeanMethods = false)
class TunnelOwnersConfiguration {

	@Bean
	TunnelOwners tunnelOwners(ObjectProvider<RedisStore> redis, StoreProperties properties, Environment environment) {
		RedisStore store = redis.getIfAvailable();
		return (store != null) ? new RedisTunnelOwners(store, properties.redis().advertiseUrl(),
				environment.getProperty("server.address")) : TunnelOwners.NONE;
	}

}
