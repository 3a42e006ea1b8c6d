package dev.gambiarra.web;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Turns every failure into the error shape of the route it happened on, before Boot's default handler sees it.
 * Framework errors (bad JSON, unknown route, body too large) get the same clear messages as our own.
 */
@Component
@Order(-2)
class ErrorResponses implements WebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ErrorResponses.class);

	private final JsonMapper jsonMapper;

	ErrorResponses(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			// Bytes already reached the client: the only honest signal left is an aborted connection.
			return Mono.error(ex);
		}
		HubException error = translate(ex, exchange);
		ErrorShape shape = ErrorShape.forPath(exchange.getRequest().getPath().value());
		byte[] body = this.jsonMapper.writeValueAsBytes(shape.body(error.status(), error.getMessage(), error.code()));
		response.setStatusCode(error.status());
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		response.getHeaders().remove("Content-Encoding");
		error.headers().forEach((name, values) -> response.getHeaders().put(name, values));
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

	private HubException translate(Throwable ex, ServerWebExchange exchange) {
		if (ex instanceof HubException hub) {
			return hub;
		}
		if (ex instanceof PayloadTooLargeException || hasCause(ex, DataBufferLimitException.class)) {
			return tooLarge();
		}
		if (ex instanceof MethodNotAllowedException) {
			return notFound();
		}
		if (ex instanceof UnsupportedMediaTypeStatusException) {
			return new HubException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json",
					"unsupported_media_type");
		}
		if (hasCause(ex, DecodingException.class) || hasCause(ex, JacksonException.class)) {
			return invalidBody(ex);
		}
		if (ex instanceof ResponseStatusException status) {
			HttpStatus resolved = HttpStatus.resolve(status.getStatusCode().value());
			if (resolved == HttpStatus.NOT_FOUND || resolved == null) {
				return notFound();
			}
			String reason = status.getReason();
			return new HubException(resolved, (reason != null) ? reason : resolved.getReasonPhrase(), null);
		}
		logger.error("{}Unexpected failure on {} {}", exchange.getLogPrefix(), exchange.getRequest().getMethod(),
				exchange.getRequest().getPath(), ex);
		return new HubException(HttpStatus.INTERNAL_SERVER_ERROR, "Internal server error", "internal_error");
	}

	static HubException tooLarge() {
		return HubException.tooLarge();
	}

	private static HubException notFound() {
		return HubException.notFound("Not found", "not_found");
	}

	/** Malformed JSON gets one fixed message; a well-formed body with a wrong type names the field. */
	static HubException invalidBody(Throwable ex) {
		MismatchedInputException mismatch = findCause(ex, MismatchedInputException.class);
		if (mismatch != null && findCause(ex, StreamReadException.class) == null) {
			String field = fieldPath(mismatch.getPath());
			if (!field.isEmpty()) {
				return HubException.badRequest("Invalid value for field '" + field + "'");
			}
			return HubException.badRequest("Request body must be a JSON object");
		}
		return HubException.badRequest("Invalid JSON body");
	}

	private static String fieldPath(List<JacksonException.Reference> path) {
		StringBuilder out = new StringBuilder();
		for (JacksonException.Reference reference : path) {
			if (reference.getPropertyName() != null) {
				if (!out.isEmpty()) {
					out.append('.');
				}
				out.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				out.append('[').append(reference.getIndex()).append(']');
			}
		}
		return out.toString();
	}

	private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
		return findCause(ex, type) != null;
	}

	private static <T extends Throwable> @Nullable T findCause(Throwable ex, Class<T> type) {
		Throwable current = ex;
		for (int depth = 0; current != null && depth < 10; depth++) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			current = current.getCause();
		}
		return null;
	}

}
