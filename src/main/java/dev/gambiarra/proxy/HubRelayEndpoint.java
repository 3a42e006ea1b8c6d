package dev.gambiarra.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import org.springframework.web.util.UriUtils;

import dev.gambiarra.config.LimitsProperties;
import dev.gambiarra.tunnel.TunnelOwners;
import dev.gambiarra.tunnel.Tunnels;
import dev.gambiarra.web.HubException;
import dev.gambiarra.web.RequestIds;

/**
 * {@code POST /internal/tunnels/{code}/{participantId}/v1/{operation}?stream=}: another hub of the club sends a
 * request for a tunnel participant whose tunnel is open here; this hub relays it over the tunnel and streams the
 * answer back as it arrives. Only transport: routing, leases, events and metrics are the sending hub's. Only hubs that
 * present the club's secret ({@link HubRelayClient#SECRET_HEADER}, compared in constant time) get in: anyone else gets
 * 401 and nothing is relayed. With the in-memory store there is no club: 404, as for any unknown route.
 */
final class HubRelayEndpoint implements WebHandler {

	private static final Logger logger = LoggerFactory.getLogger(HubRelayEndpoint.class);

	private static final NettyDataBufferFactory NETTY_BUFFERS = new NettyDataBufferFactory(
			ByteBufAllocator.DEFAULT);

	private final Tunnels tunnels;

	private final TunnelOwners owners;

	private final int maxBodyBytes;

	private final Duration firstByteTimeout;

	private final Duration idleTimeout;

	HubRelayEndpoint(Tunnels tunnels, TunnelOwners owners, LimitsProperties limits, ProxyProperties proxy) {
		this.tunnels = tunnels;
		this.owners = owners;
		this.maxBodyBytes = (int) limits.maxBodySize().toBytes();
		this.firstByteTimeout = proxy.firstByteTimeout();
		this.idleTimeout = proxy.idleTimeout();
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		String secret = this.owners.secret();
		if (secret == null) {
			return Mono.error(HubException.notFound("Not found", "not_found"));
		}
		if (!isSecret(secret, request.getHeaders().getFirst(HubRelayClient.SECRET_HEADER))) {
			return Mono.error(new HubException(HttpStatus.UNAUTHORIZED, "Invalid hub secret", "invalid_hub_secret"));
		}
		// /internal/tunnels/{code}/{id}/v1/{operation}, the segments encoded as the sending hub encoded them.
		String[] segments = request.getPath().pathWithinApplication().value().split("/", 7);
		String operation = (segments.length == 7 && "v1".equals(segments[5])) ? segments[6] : "";
		if (!RelayFilter.OPERATIONS.contains(operation)) {
			return Mono.error(HubException.notFound("Not found", "not_found"));
		}
		if (request.getMethod() != HttpMethod.POST) {
			return Mono.error(new MethodNotAllowedException(request.getMethod(), Set.of(HttpMethod.POST)));
		}
		String code = UriUtils.decode(segments[3], StandardCharsets.UTF_8);
		String participantId = UriUtils.decode(segments[4], StandardCharsets.UTF_8);
		boolean stream = "true".equals(request.getQueryParams().getFirst("stream"));
		String requestId = RequestIds.of(exchange);
		ServerHttpResponse response = exchange.getResponse();
		return DataBufferUtils.join(request.getBody(), this.maxBodyBytes)
			.map((buffer) -> {
				try {
					byte[] bytes = new byte[buffer.readableByteCount()];
					buffer.read(bytes);
					return bytes;
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.defaultIfEmpty(new byte[0])
			.flatMap((payload) -> this.tunnels.relay(code, participantId, operation, requestId, stream, payload,
					this.firstByteTimeout, this.idleTimeout, (status, type, length, content) -> {
						response.setStatusCode(HttpStatusCode.valueOf(status));
						response.getHeaders().set(HubRelayClient.ANSWER_HEADER, "true");
						if (type != null) {
							response.getHeaders().set(HttpHeaders.CONTENT_TYPE, type);
						}
						if (length != null) {
							response.getHeaders().set(HttpHeaders.CONTENT_LENGTH, length);
						}
						return response.writeWith(content.retain()
							.<DataBuffer>map(NETTY_BUFFERS::wrap)
							.doOnDiscard(DataBuffer.class, DataBufferUtils::release));
					}))
			.onErrorResume((ex) -> !response.isCommitted() && !(ex instanceof HubException),
					(ex) -> failed(response, requestId, code, participantId, ex));
	}

	private static boolean isSecret(String secret, @Nullable String offered) {
		return offered != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
				offered.getBytes(StandardCharsets.UTF_8));
	}

	/** A failure before the answer: its kind for the sending hub, which fails the request as a local tunnel would. */
	private static Mono<Void> failed(ServerHttpResponse response, String requestId, String code, String participantId,
			Throwable ex) {
		String kind = ProxyService.isConnectFailure(ex) ? "refused" : ProxyService.isTimeout(ex) ? "timeout" : "failed";
		logger.debug("{} tunnel relay for participant {} of room {} failed here ({}): {}", requestId, participantId,
				code, kind, ex.toString());
		response.setStatusCode((kind.equals("timeout")) ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY);
		response.getHeaders().set(HubRelayClient.FAILURE_HEADER, kind);
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		byte[] reason = ProxyService.describe(ex).getBytes(StandardCharsets.UTF_8);
		response.getHeaders().setContentLength(reason.length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(reason)));
	}

	/** The internal route, ahead of the controllers. */
	@Configuration(proxyBeanMethods = false)
	static class Routes {

		@Bean
		HandlerMapping hubRelayHandlerMapping(Tunnels tunnels, TunnelOwners owners, LimitsProperties limits,
				ProxyProperties proxy) {
			return new SimpleUrlHandlerMapping(
					Map.of(HubRelayClient.PATH + "**", new HubRelayEndpoint(tunnels, owners, limits, proxy)),
					Ordered.HIGHEST_PRECEDENCE);
		}

	}

}
