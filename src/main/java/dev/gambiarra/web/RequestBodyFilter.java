package dev.gambiarra.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.gambiarra.config.LimitsProperties;

/**
 * Guards request bodies at the edge: a declared {@code Content-Length} over the limit is refused with 413 before a
 * byte is read (bodies without a length are bounded by the codecs, see {@code GambiarraConfiguration}), and a body
 * sent without a JSON content type ({@code curl -d} defaults to a form) is read as JSON, as the original hub did.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RequestBodyFilter implements WebFilter {

	private final long maxBodyBytes;

	RequestBodyFilter(LimitsProperties limits) {
		this.maxBodyBytes = limits.maxBodySize().toBytes();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		long length = request.getHeaders().getContentLength();
		if (length > this.maxBodyBytes) {
			return Mono.error(ErrorResponses.tooLarge());
		}
		if (!hasBody(request) || isJson(request.getHeaders().getContentType())) {
			return chain.filter(exchange);
		}
		ServerHttpRequest json = request.mutate()
			.headers((headers) -> headers.setContentType(MediaType.APPLICATION_JSON))
			.build();
		return chain.filter(exchange.mutate().request(json).build());
	}

	private static boolean hasBody(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
	}

	private static boolean isJson(MediaType type) {
		return type != null && (type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json"));
	}

}
