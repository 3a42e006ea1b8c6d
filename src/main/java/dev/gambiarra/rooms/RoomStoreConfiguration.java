package dev.gambiarra.rooms;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.gambiarra.events.EventBus;

/** Chooses where rooms and participants are kept: {@code gambiarra.store.type}, in memory by default. */
@Configuration(proxyBeanMethods = false)
class RoomStoreConfiguration {

	@Bean
	RoomStore roomStore(EventBus events) {
		return new MemoryRoomStore(events);
	}

}
