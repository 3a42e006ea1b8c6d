package dev.gambiarra.agent;

import java.time.Clock;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;

import dev.gambiarra.agent.provider.ProviderFactory;
import dev.gambiarra.agent.tools.ToolRegistry;
import dev.gambiarra.events.EventBus;

/** The agent's beans and its WebSocket route; none of it exists with {@code gambiarra.agent.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "gambiarra.agent", name = "enabled", havingValue = "true", matchIfMissing = true)
class AgentConfiguration {

	@Bean
	ToolRegistry agentToolRegistry(JsonMapper json, AgentProperties properties) {
		return ToolRegistry.load(json, properties.pluginDir());
	}

	@Bean
	SessionManager agentSessions(AgentProperties properties, EventBus events) {
		return new SessionManager(properties, events);
	}

	@Bean
	AgentLoop agentLoop(ToolRegistry registry, AgentProperties properties, EventBus events) {
		return new AgentLoop(registry, properties, events);
	}

	@Bean
	AgentService agentService(SessionManager sessions, ProviderFactory providers, ToolRegistry registry,
			AgentLoop loop, AgentProperties properties, EventBus events, JsonMapper json, Clock clock) {
		return new AgentService(sessions, providers, registry, loop, properties, events, json, clock);
	}

	@Bean
	HandlerMapping agentHandlerMapping(AgentService service, AgentProperties properties, JsonMapper json) {
		return new SimpleUrlHandlerMapping(
				Map.of(properties.path(), new AgentSocketHandler(service, properties, json)), Ordered.HIGHEST_PRECEDENCE);
	}

	/** {@code gambiarra.agent.sessions}: agent sessions held now (attached or waiting for a resume). */
	@Bean
	MeterBinder agentMetrics(SessionManager sessions) {
		return (registry) -> Gauge.builder("gambiarra.agent.sessions", sessions, (s) -> s.sessions().size())
			.description("Agent sessions held by the hub")
			.register(registry);
	}

	/** Frames up to {@code gambiarra.agent.max-frame-size}; larger ones close the socket. */
	@Bean
	WebFluxConfigurer agentWebSocketService(AgentProperties properties) {
		return new WebFluxConfigurer() {
			@Override
			public WebSocketService getWebSocketService() {
				return new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(() -> WebsocketServerSpec
					.builder()
					.maxFramePayloadLength((int) properties.maxFrameSize().toBytes())));
			}
		};
	}

}
