package dev.gambiarra.proxy;

import java.util.List;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

/**
 * The relayed OpenAI calls of a room, {@code POST /rooms/{code}/v1/chat/completions}, {@code /completions} and
 * {@code /embeddings}, as functional routes: they are the hub's hot path, and a route that hands the exchange to
 * {@link ProxyService} skips the annotated-controller lookup and argument resolution. Other methods on these paths
 * fail as a POST-only mapping does (rendered like any unknown route by {@code ErrorResponses}).
 */
@Configuration(proxyBeanMethods = false)
class RelayRoutes {

	/** The relayed OpenAI operations: the path after {@code /rooms/{code}/v1/}. */
	static final List<String> OPERATIONS = List.of("chat/completions", "completions", "embeddings");

	@Bean
	RouterFunction<ServerResponse> relayRouter(ProxyService proxy) {
		// Flat, not nested under /rooms/{code}/v1: a nested route copies the request's attributes on every match.
		RouterFunctions.Builder routes = RouterFunctions.route();
		for (String operation : OPERATIONS) {
			routes.route(path("/rooms/{code}/v1/" + operation), relay(proxy, operation));
		}
		return routes.build();
	}

	/**
	 * The relay writes status, headers and body itself once the participant answers (or fails over first), so the
	 * route's response is only the write function that runs it.
	 */
	private static HandlerFunction<ServerResponse> relay(ProxyService proxy, String operation) {
		return (request) -> {
			if (request.method() != HttpMethod.POST) {
				return Mono.error(new MethodNotAllowedException(request.method(), Set.of(HttpMethod.POST)));
			}
			String code = request.pathVariable("code");
			return ServerResponse.ok().build((exchange, context) -> proxy.forward(code, operation, exchange));
		};
	}

}
