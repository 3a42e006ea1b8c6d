package dev.gambiarra.web;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request an {@code X-Request-Id}: the client's when it sent a sane one, a fresh one otherwise. The id
 * is echoed in the response, sent upstream by the proxy and carried in {@code llm:*} events.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestIds implements WebFilter {

	public static final String HEADER = "X-Request-Id";

	private static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

	private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String id = choose(exchange.getRequest().getHeaders().getFirst(HEADER));
		exchange.getAttributes().put(ATTRIBUTE, id);
		exchange.getResponse().getHeaders().set(HEADER, id);
		return chain.filter(exchange);
	}

	/** The id of a request that offered {@code offered} as its {@code X-Request-Id}: that, when sane, else a new one. */
	public static String choose(@Nullable String offered) {
		return (offered != null && SANE.matcher(offered).matches()) ? offered : Ids.requestId();
	}

	/** The request id assigned to this exchange. */
	public static String of(ServerWebExchange exchange) {
		String id = exchange.getAttribute(ATTRIBUTE);
		return (id != null) ? id : exchange.getRequest().getId();
	}

}
