package dev.gambiarra.proxy;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Keeps Boot's generic per-request server observation ({@code http.server.requests}) off the internal relay of
 * another hub's request to a tunnel open here: the hub that took the request measures it, in
 * {@code gambiarra.proxy.*}, with its room, participant and outcome. (The relayed OpenAI POSTs themselves never
 * reach WebFlux: {@link RelayRoute}.) Every other route keeps its {@code http_server_requests_*} series.
 */
@Configuration(proxyBeanMethods = false)
class RelayObservations {

	@Bean
	ObservationPredicate skipRelayedRequests() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext server
				&& isRelay(server.getCarrier()));
	}

	static boolean isRelay(ServerHttpRequest request) {
		return request.getMethod() == HttpMethod.POST
				&& request.getPath().pathWithinApplication().value().startsWith(HubRelayClient.PATH);
	}

}
