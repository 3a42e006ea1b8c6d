package dev.gambiarra.proxy;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ServerWebExchange;

import dev.gambiarra.config.LimitsProperties;
import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.metrics.ProxyMetrics;
import dev.gambiarra.metrics.RelayTrace;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomAccess;
import dev.gambiarra.web.HubException;
import dev.gambiarra.web.RequestIds;

/**
 * Forwards one OpenAI-compatible request to the participant its {@code model} field chooses, and relays the
 * answer chunk by chunk as the upstream produces it. Nothing is aggregated; a client that goes away cancels the
 * upstream request; a failure before the first byte is a JSON error, one after it an aborted response.
 */
@Service
class ProxyService {

	private static final Logger logger = LoggerFactory.getLogger(ProxyService.class);

	/** Generation parameters a participant's stored {@code config} may supply when the request does not. */
	private static final List<String> GENERATION_DEFAULTS = List.of("temperature", "top_p", "max_tokens", "stop",
			"frequency_penalty", "presence_penalty", "seed");

	private final RoomAccess access;

	private final ParticipantRouter router;

	private final UpstreamClient upstream;

	private final EventBus events;

	private final JsonMapper json;

	private final int maxBodyBytes;

	private final ProxyMetrics metrics;

	ProxyService(RoomAccess access, ParticipantRouter router, UpstreamClient upstream, EventBus events, JsonMapper json,
			LimitsProperties limits, ProxyMetrics metrics) {
		this.access = access;
		this.router = router;
		this.upstream = upstream;
		this.events = events;
		this.json = json;
		this.maxBodyBytes = (int) limits.maxBodySize().toBytes();
		this.metrics = metrics;
	}

	/**
	 * Proxies the exchange's request to {@code {endpoint}/v1/{operation}} of the chosen participant.
	 * @param operation {@code chat/completions}, {@code completions} or {@code embeddings}
	 */
	Mono<Void> forward(String code, String operation, ServerWebExchange exchange) {
		return this.access.enter(code, exchange)
			.zipWith(readBody(exchange))
			.flatMap((roomAndBody) -> {
				Room room = roomAndBody.getT1();
				ObjectNode body = roomAndBody.getT2();
				String requested = requestedModel(body);
				Participant participant = this.router.route(room, requested);
				boolean generates = !operation.equals("embeddings");
				byte[] payload = rewrite(body, participant, generates);
				boolean stream = body.path("stream").asBoolean(false);
				String requestId = RequestIds.of(exchange);
				this.events.publish(HubEvent.llmRequest(room.code(), participant.id(), requested, requestId));
				return relay(room, participant, operation, payload, stream, requestId, exchange);
			});
	}

	private Mono<ObjectNode> readBody(ServerWebExchange exchange) {
		return DataBufferUtils.join(exchange.getRequest().getBody(), this.maxBodyBytes)
			.map((buffer) -> {
				try {
					return parse(buffer);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.switchIfEmpty(Mono.error(() -> HubException.badRequest("Invalid JSON body")));
	}

	private ObjectNode parse(DataBuffer buffer) {
		JsonNode node;
		try (var input = buffer.asInputStream()) {
			node = this.json.readTree(input);
		}
		catch (JacksonException | java.io.IOException ex) {
			throw HubException.badRequest("Invalid JSON body");
		}
		if (node instanceof ObjectNode object) {
			return object;
		}
		throw HubException.badRequest("Request body must be a JSON object");
	}

	private static String requestedModel(ObjectNode body) {
		JsonNode model = body.get("model");
		if (model == null || model.isNull()) {
			throw HubException.badRequest("Missing required field: model");
		}
		if (!model.isString() || model.asString().isEmpty()) {
			throw HubException.badRequest("Invalid value for field 'model': expected a non-empty string");
		}
		return model.asString();
	}

	/** The body the participant receives: its real model name, and its stored defaults where the request has none. */
	private byte[] rewrite(ObjectNode body, Participant participant, boolean generates) {
		if (generates) {
			for (String key : GENERATION_DEFAULTS) {
				Object value = participant.config().get(key);
				if (value != null && !body.has(key)) {
					body.set(key, this.json.valueToTree(value));
				}
			}
		}
		body.put("model", participant.model());
		return this.json.writeValueAsBytes(body);
	}

	private Mono<Void> relay(Room room, Participant participant, String operation, byte[] payload, boolean stream,
			String requestId, ServerWebExchange exchange) {
		return Mono.defer(() -> {
			RelayTrace trace = this.metrics.begin(room, participant, operation, stream, requestId);
			return relay(room, participant, operation, payload, stream, requestId, exchange, trace)
				.doOnSuccess((done) -> trace.complete())
				.doOnError((ex) -> trace.failed((ex instanceof HubException hub) ? hub.status().value() : 0,
						describe(ex)))
				.doOnCancel(trace::cancelled);
		});
	}

	/** The relay itself; {@code trace} sees the upstream status and every buffer on its way to the client. */
	private Mono<Void> relay(Room room, Participant participant, String operation, byte[] payload, boolean stream,
			String requestId, ServerWebExchange exchange, RelayTrace trace) {
		ServerHttpResponse response = exchange.getResponse();
		URI target = URI.create(participant.endpoint() + "/v1/" + operation);
		return this.upstream.webClient()
			.post()
			.uri(target)
			.headers((headers) -> {
				headers.setContentType(MediaType.APPLICATION_JSON);
				headers.setAccept(stream ? List.of(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON)
						: List.of(MediaType.APPLICATION_JSON));
				headers.set(RequestIds.HEADER, requestId);
				if (participant.apiKey() != null) {
					headers.setBearerAuth(participant.apiKey());
				}
			})
			.bodyValue(payload)
			.exchangeToMono((answer) -> {
				HttpStatus status = HttpStatus.resolve(answer.statusCode().value());
				trace.response(answer.statusCode().value());
				response.setStatusCode(answer.statusCode());
				HttpHeaders headers = response.getHeaders();
				if (stream && answer.statusCode().is2xxSuccessful()) {
					headers.setContentType(MediaType.TEXT_EVENT_STREAM);
					headers.setCacheControl("no-cache");
					headers.set("X-Accel-Buffering", "no");
				}
				else {
					headers.setContentType(answer.headers().contentType().orElse(MediaType.APPLICATION_JSON));
				}
				if (status != null && status.is5xxServerError()) {
					this.events.publish(HubEvent.llmError(room.code(), participant.id(),
							"Upstream answered " + status.value(), requestId));
				}
				Flux<DataBuffer> body = answer.bodyToFlux(DataBuffer.class)
					.doOnNext(trace::chunk)
					.doOnComplete(trace::bodyComplete)
					.doOnError((ex) -> midStreamFailure(room, participant, requestId, ex));
				return response.writeWith(body);
			})
			.onErrorMap((ex) -> !response.isCommitted() && !(ex instanceof HubException),
					(ex) -> beforeFirstByte(room, participant, requestId, ex));
	}

	private void midStreamFailure(Room room, Participant participant, String requestId, Throwable ex) {
		String reason = describe(ex);
		logger.warn("{} upstream {} of room {} failed mid-response: {}", requestId, participant.id(), room.code(),
				reason);
		this.events.publish(HubEvent.llmError(room.code(), participant.id(), reason, requestId));
	}

	private HubException beforeFirstByte(Room room, Participant participant, String requestId, Throwable ex) {
		String reason = describe(ex);
		logger.warn("{} upstream {} of room {} failed: {}", requestId, participant.id(), room.code(), reason);
		this.events.publish(HubEvent.llmError(room.code(), participant.id(), reason, requestId));
		if (isTimeout(ex)) {
			return new HubException(HttpStatus.GATEWAY_TIMEOUT, "Upstream timed out: " + reason, "upstream_timeout");
		}
		return new HubException(HttpStatus.BAD_GATEWAY, "Failed to proxy request: " + reason, "upstream_unreachable");
	}

	private static boolean isTimeout(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ReadTimeoutException || cause instanceof TimeoutException) {
				return true;
			}
		}
		return false;
	}

	/** A short, secret-free reason: the innermost cause's kind and message. */
	static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (root instanceof ReadTimeoutException) {
			return "no data from participant within the timeout";
		}
		if (root instanceof ConnectTimeoutException) {
			return "connection timed out";
		}
		if (root instanceof ConnectException || root instanceof UnknownHostException) {
			return (root instanceof UnknownHostException) ? "unknown host " + root.getMessage() : "connection refused";
		}
		String message = root.getMessage();
		return (message != null && !message.isBlank()) ? message : root.getClass().getSimpleName();
	}


}
