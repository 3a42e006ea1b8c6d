package dev.gambiarra.rooms;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.store.RedisStore;

/**
 * Chooses where rooms and participants are kept: in this JVM by default, in Redis when
 * {@code gambiarra.store.type=redis} connected (see {@code StoreConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
class RoomStoreConfiguration {

	@Bean
	RoomStore roomStore(EventBus events, ObjectProvider<RedisStore> redis, JsonMapper json) {
		RedisStore store = redis.getIfAvailable();
		if (store == null) {
			return new MemoryRoomStore(events);
		}
		RedisRoomStore shared = new RedisRoomStore(store, events, json);
		shared.start();
		return shared;
	}

}
