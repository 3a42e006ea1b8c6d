package dev.gambiarra.proxy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The paths of the relayed OpenAI calls of a room, {@code /rooms/{code}/v1/chat/completions}, {@code /completions}
 * and {@code /embeddings}. Their POSTs are served by {@link RelayRoute} on Reactor Netty before WebFlux; any other
 * method on them reaches WebFlux and this last web filter, and fails as a POST-only mapping does (CORS preflights
 * are answered earlier, by the CORS filter).
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class RelayFilter implements WebFilter {

	/** The relayed OpenAI operations: the path after {@code /rooms/{code}/v1/}. */
	static final List<String> OPERATIONS = List.of("chat/completions", "completions", "embeddings");

	private static final String ROOMS = "/rooms/";

	private static final String V1 = "/v1/";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		Relay relay = match(request.getPath().pathWithinApplication().value());
		if (relay == null) {
			return chain.filter(exchange);
		}
		if (request.getMethod() != HttpMethod.POST) {
			return Mono.error(new MethodNotAllowedException(request.getMethod(), Set.of(HttpMethod.POST)));
		}
		// RelayRoute takes every relayed POST before WebFlux: one here means the route is not installed.
		return Mono.error(new IllegalStateException("Relayed POST reached WebFlux: RelayRoute is not installed"));
	}

	/** The room code (decoded) and operation of a relayed path, or {@code null} for any other path. */
	static @Nullable Relay match(String path) {
		if (!path.startsWith(ROOMS)) {
			return null;
		}
		int end = path.indexOf('/', ROOMS.length());
		if (end <= ROOMS.length() || !path.startsWith(V1, end)) {
			return null;
		}
		int operationStart = end + V1.length();
		for (String operation : OPERATIONS) {
			if (path.length() - operationStart == operation.length() && path.startsWith(operation, operationStart)) {
				String code = path.substring(ROOMS.length(), end);
				return new Relay((code.indexOf('%') >= 0) ? StringUtils.uriDecode(code, StandardCharsets.UTF_8) : code,
						operation);
			}
		}
		return null;
	}

	record Relay(String code, String operation) {
	}

}
