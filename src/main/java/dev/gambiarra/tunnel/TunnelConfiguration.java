package dev.gambiarra.tunnel;

import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

import dev.gambiarra.rooms.FailedAttempts;
import dev.gambiarra.rooms.RoomService;

/** The tunnel route, ahead of the controllers. */
@Configuration(proxyBeanMethods = false)
class TunnelConfiguration {

	@Bean
	HandlerMapping tunnelHandlerMapping(RoomService rooms, Tunnels tunnels, JsonMapper json,
			TunnelProperties properties, FailedAttempts failures) {
		return new SimpleUrlHandlerMapping(Map.of("/rooms/*/participants/*/tunnel",
				new TunnelSocketHandler(rooms, tunnels, json, properties, failures)), Ordered.HIGHEST_PRECEDENCE);
	}

}
