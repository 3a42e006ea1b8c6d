package dev.gambiarra.proxy;

import java.util.List;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Keeps Boot's generic per-request server observation ({@code http.server.requests}) off the relay path. A relayed
 * OpenAI request is measured by {@code gambiarra.proxy.*} with its room, participant and outcome; observing it a
 * second time, with a timer looked up by tags and a long-task timer per request, cost more CPU than routing it.
 * Every other route keeps its {@code http_server_requests_*} series.
 */
@Configuration(proxyBeanMethods = false)
class RelayObservations {

	private static final List<String> RELAY_SUFFIXES = RelayRoutes.OPERATIONS.stream()
		.map((operation) -> "/v1/" + operation)
		.toList();

	@Bean
	ObservationPredicate skipRelayedRequests() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext server
				&& isRelay(server.getCarrier()));
	}

	static boolean isRelay(ServerHttpRequest request) {
		if (request.getMethod() != HttpMethod.POST) {
			return false;
		}
		String path = request.getPath().value();
		if (!path.startsWith("/rooms/")) {
			return false;
		}
		for (String suffix : RELAY_SUFFIXES) {
			if (path.endsWith(suffix)) {
				return true;
			}
		}
		return false;
	}

}
