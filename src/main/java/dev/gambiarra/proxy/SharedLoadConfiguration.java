package dev.gambiarra.proxy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.gambiarra.store.RedisStore;

/** Shares in-flight counts with the other hubs when the store is Redis; alone otherwise. */
@Configuration(proxyBeanMethods = false)
class SharedLoadConfiguration {

	@Bean
	SharedLoad sharedLoad(ObjectProvider<RedisStore> redis) {
		RedisStore store = redis.getIfAvailable();
		return (store != null) ? new RedisSharedLoad(store) : SharedLoad.NONE;
	}

}
