package dev.gambiarra.store;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connects to Redis when {@code gambiarra.store.type=redis}. Unreachable at start: the hub stops with one clear
 * message, or, with {@code gambiarra.store.redis.fallback-to-memory=true}, runs on the in-memory store and says so
 * loudly.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(StoreConfiguration.class);

	@Bean(destroyMethod = "close")
	@Nullable RedisStore redisStore(StoreProperties properties) {
		if (!properties.isRedis()) {
			return null;
		}
		try {
			return RedisStore.connect(properties.redis());
		}
		catch (StoreUnavailableException ex) {
			if (!properties.redis().fallbackToMemory()) {
				logger.error("{}: the hub cannot start (gambiarra.store.type=redis)", ex.getMessage());
				throw ex;
			}
			logger.warn("!!! {}. gambiarra.store.redis.fallback-to-memory=true: this hub runs on the IN-MEMORY store, "
					+ "alone: it shares nothing with other hubs and forgets everything when it stops !!!",
					ex.getMessage());
			return null;
		}
	}

}
