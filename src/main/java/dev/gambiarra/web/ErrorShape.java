package dev.gambiarra.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The two error bodies of the hub: {@code {"error":"message"}} for room routes (the original wire contract) and
 * {@code {"error":{"message","type","code"}}} for the OpenAI-compatible {@code /v1} routes, which OpenAI SDKs parse.
 */
public enum ErrorShape {

	ROOM, OPENAI;

	private static final PathPattern OPENAI_ROUTES = PathPatternParser.defaultInstance.parse("/rooms/{code}/v1/**");

	public static ErrorShape forPath(String path) {
		return OPENAI_ROUTES.matches(PathContainer.parsePath(path)) ? OPENAI : ROOM;
	}

	public Map<String, Object> body(HttpStatus status, String message, @Nullable String code) {
		if (this == ROOM) {
			return Map.of("error", message);
		}
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("message", message);
		error.put("type", openAiType(status));
		error.put("code", code);
		return Map.of("error", error);
	}

	static String openAiType(HttpStatus status) {
		return switch (status.value()) {
			case 401 -> "authentication_error";
			case 403 -> "permission_error";
			case 404 -> "not_found_error";
			case 413 -> "request_too_large";
			case 429 -> "rate_limit_error";
			case 504 -> "timeout_error";
			default -> status.is5xxServerError() ? "api_error" : "invalid_request_error";
		};
	}

}
