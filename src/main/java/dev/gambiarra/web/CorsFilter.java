package dev.gambiarra.web;

import java.util.function.BiConsumer;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Open CORS, as the original hub: every answer allows any origin, and any {@code OPTIONS} request is a preflight
 * answered 204 without touching a handler. Browsers may then call rooms and the OpenAI surface directly.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CorsFilter implements WebFilter {

	static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

	static final String ALLOWED_HEADERS = "Content-Type, Authorization, X-Room-Password, X-Request-Id, Accept, "
			+ "Cache-Control, Last-Event-ID";

	static final String EXPOSED_HEADERS = "X-Request-Id, Retry-After";

	/** The CORS headers of every answer that is not a preflight. */
	public static void answerHeaders(BiConsumer<String, String> header) {
		header.accept(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
		header.accept(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		HttpHeaders headers = exchange.getResponse().getHeaders();
		answerHeaders(headers::set);
		if (HttpMethod.OPTIONS.equals(exchange.getRequest().getMethod())) {
			headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
			headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
			headers.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "86400");
			exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
			return exchange.getResponse().setComplete();
		}
		return chain.filter(exchange);
	}

}
