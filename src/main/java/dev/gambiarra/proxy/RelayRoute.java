package dev.gambiarra.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.gambiarra.config.LimitsProperties;
import dev.gambiarra.proxy.RelayFilter.Relay;
import dev.gambiarra.web.CorsFilter;
import dev.gambiarra.web.ErrorShape;
import dev.gambiarra.web.HubException;
import dev.gambiarra.web.RequestIds;

/**
 * What every relayed OpenAI call of a room ({@code POST /rooms/{code}/v1/chat/completions}, {@code /completions},
 * {@code /embeddings}) gets however it is served: the CORS headers of {@link CorsFilter} and the request id of
 * {@link RequestIds} on every answer, the relay through {@link ProxyService}, and errors in the OpenAI envelope with
 * their headers ({@code Retry-After}) before the first byte, an aborted connection after it, as
 * {@code ErrorResponses} does for WebFlux's routes.
 * <p>
 * On an HTTP/1.1 connection {@link RelayConnection} serves these calls on Netty's pipeline, before this route sees
 * them. Where it is not installed (a connection without the HTTP/1.1 codec: HTTP/2), this class is also a Reactor
 * Netty route ahead of Spring WebFlux that serves them on Reactor Netty's own request and response, with the
 * {@code max-body-size} limit (413 before a byte is read when the declared length is over it, and while reading
 * otherwise). Every other request, including other methods on these paths (CORS preflights, 405s), goes on to
 * WebFlux.
 */
@Component
class RelayRoute implements NettyRouteProvider {

	private static final Logger logger = LoggerFactory.getLogger(RelayRoute.class);

	private static final String REQUEST_ID = RequestIds.HEADER;

	private final ProxyService proxy;

	private final JsonMapper json;

	private final long maxBodyBytes;

	RelayRoute(ProxyService proxy, JsonMapper json, LimitsProperties limits) {
		this.proxy = proxy;
		this.json = json;
		this.maxBodyBytes = limits.maxBodySize().toBytes();
	}

	@Override
	public HttpServerRoutes apply(HttpServerRoutes routes) {
		return routes.route(RelayRoute::isRelay, this::relay);
	}

	static boolean isRelay(HttpServerRequest request) {
		return relayOf(request.method(), request.uri()) != null;
	}

	/** The relayed call a request is (a POST to a relayed path), or {@code null}. */
	static @Nullable Relay relayOf(HttpMethod method, String target) {
		return (method == HttpMethod.POST) ? RelayFilter.match(path(target)) : null;
	}

	/** The path of a request target: origin form ({@code /rooms/...?q}) or absolute form ({@code http://h/rooms/...}). */
	static String path(String target) {
		int start = 0;
		if (!target.startsWith("/")) {
			int scheme = target.indexOf("://");
			if (scheme < 0) {
				return target;
			}
			int slash = target.indexOf('/', scheme + 3);
			if (slash < 0) {
				return "/";
			}
			start = slash;
		}
		int end = target.length();
		for (int i = start; i < end; i++) {
			char c = target.charAt(i);
			if (c == '?' || c == '#') {
				end = i;
				break;
			}
		}
		return (start == 0 && end == target.length()) ? target : target.substring(start, end);
	}

	private Mono<Void> relay(HttpServerRequest request, HttpServerResponse response) {
		Relay relay = RelayFilter.match(path(request.uri()));
		RelayExchange exchange = new ReactorRelayExchange(request, response, requestId(request.requestHeaders()));
		prepare(exchange);
		if (relay == null) {
			// isRelay let it through, so this cannot happen; answered as WebFlux would answer an unknown route.
			return fail(exchange, HubException.notFound("Not found", "not_found"));
		}
		if (exchange.contentLength() > this.maxBodyBytes) {
			return fail(exchange, HubException.tooLarge());
		}
		return serve(relay, exchange);
	}

	/** The request id a relay answers with: the client's own when it sent a usable one. */
	static String requestId(HttpHeaders headers) {
		return RequestIds.choose(headers.get(REQUEST_ID));
	}

	/** The headers every relayed answer carries, errors included: CORS and the request id. */
	static void prepare(RelayExchange exchange) {
		CorsFilter.answerHeaders(exchange::header);
		exchange.header(REQUEST_ID, exchange.requestId());
	}

	/** Relays a request whose body is within the limit; a failure before the first byte is answered as an error. */
	Mono<Void> serve(Relay relay, RelayExchange exchange) {
		return this.proxy.forward(relay.code(), relay.operation(), exchange)
			.onErrorResume((ex) -> fail(exchange, ex));
	}

	/** The largest request body a relay reads ({@code gambiarra.limits.max-body-size}). */
	long maxBodyBytes() {
		return this.maxBodyBytes;
	}

	/** Before the first byte, the error in the OpenAI envelope; after it, only an aborted connection says so. */
	Mono<Void> fail(RelayExchange exchange, Throwable ex) {
		if (exchange.isCommitted()) {
			return Mono.error(ex);
		}
		HubException error = (ex instanceof HubException hub) ? hub : unexpected(exchange, ex);
		byte[] body = this.json.writeValueAsBytes(ErrorShape.OPENAI.body(error.status(), error.getMessage(),
				error.code()));
		exchange.status(error.status().value());
		// Headers of an answer that never started (a participant's length, its content type) do not apply.
		exchange.removeHeader(HttpHeaderNames.CONTENT_LENGTH);
		exchange.removeHeader(HttpHeaderNames.TRANSFER_ENCODING);
		exchange.removeHeader(HttpHeaderNames.CACHE_CONTROL);
		exchange.removeHeader("X-Accel-Buffering");
		exchange.header(HttpHeaderNames.CONTENT_TYPE, "application/json");
		error.headers().forEach((name, values) -> values.forEach((value) -> exchange.header(name, value)));
		return exchange.send(body);
	}

	private static HubException unexpected(RelayExchange exchange, @Nullable Throwable ex) {
		logger.error("{} Unexpected failure relaying a request", exchange.requestId(), ex);
		return new HubException(HttpStatus.INTERNAL_SERVER_ERROR, "Internal server error", "internal_error");
	}

}
