package dev.gambiarra.support;

import java.util.UUID;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a test hub at the shared test {@link RedisServer}, under a key prefix of its own, so every test context is a
 * club of its own on one Redis.
 */
public class RedisStoreInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		RedisServer redis = RedisServer.shared();
		TestPropertyValues
			.of("gambiarra.store.type=redis", "gambiarra.store.redis.url=" + redis.url(),
					"gambiarra.store.redis.key-prefix=test-" + UUID.randomUUID() + ":")
			.applyTo(context);
	}

}
