package dev.gambiarra.web;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A failure with a status and a message a client may read. It is rendered in the error shape of the route it
 * happened on: {@code {"error":"message"}} on room routes and the OpenAI envelope on {@code /v1} routes.
 */
public class HubException extends RuntimeException {

	private final HttpStatus status;

	private final @Nullable String code;

	private final HttpHeaders headers;

	public HubException(HttpStatus status, String message, @Nullable String code) {
		this(status, message, code, HttpHeaders.EMPTY);
	}

	public HubException(HttpStatus status, String message, @Nullable String code, HttpHeaders headers) {
		super(message, null, false, false);
		this.status = status;
		this.code = code;
		this.headers = headers;
	}

	public HttpStatus status() {
		return this.status;
	}

	/** Machine-readable code used in the OpenAI error envelope, or {@code null}. */
	public @Nullable String code() {
		return this.code;
	}

	/** Extra response headers, such as {@code Retry-After}. */
	public HttpHeaders headers() {
		return this.headers;
	}

	public static HubException badRequest(String message) {
		return new HubException(HttpStatus.BAD_REQUEST, message, "invalid_request");
	}

	public static HubException notFound(String message, String code) {
		return new HubException(HttpStatus.NOT_FOUND, message, code);
	}

	/** 413: a request body over {@code gambiarra.limits.max-body-size}. */
	public static HubException tooLarge() {
		return new HubException(HttpStatus.CONTENT_TOO_LARGE, "Request body too large", "request_too_large");
	}

	public static HubException roomNotFound() {
		return notFound("Room not found", "room_not_found");
	}

}
