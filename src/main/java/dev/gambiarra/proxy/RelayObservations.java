package dev.gambiarra.proxy;

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
 * The internal relay of another hub's request to a tunnel open here is skipped too: the hub that took the request
 * measures it. Every other route keeps its {@code http_server_requests_*} series.
 */
@Configuration(proxyBeanMethods = false)
class RelayObservations {

	@Bean
	ObservationPredicate skipRelayedRequests() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext server
				&& isRelay(server.getCarrier()));
	}

	static boolean isRelay(ServerHttpRequest request) {
		String path = request.getPath().pathWithinApplication().value();
		return request.getMethod() == HttpMethod.POST
				&& (RelayFilter.match(path) != null || path.startsWith(HubRelayClient.PATH));
	}

}
