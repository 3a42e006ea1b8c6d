package dev.gambiarra.cli;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

import dev.gambiarra.shell.CliException;

/**
 * An HTTP answer as the client commands judge it: its status, its body as text and parsed as JSON (a missing node
 * when it is not JSON).
 */
record Reply(int status, JsonNode body, String text) {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static Reply of(int status, @Nullable String text) {
		String body = (text != null) ? text : "";
		return new Reply(status, parse(body), body);
	}

	boolean ok() {
		return this.status >= 200 && this.status < 300;
	}

	/** The error message in either shape: {@code {"error":"m"}} or {@code {"error":{"message":"m"}}}. */
	String error() {
		JsonNode error = this.body.path("error");
		if (error.isString()) {
			return error.asString();
		}
		if (error.path("message").isString()) {
			return error.path("message").asString();
		}
		String trimmed = this.text.strip();
		return trimmed.isEmpty() ? "HTTP " + this.status : trimmed.lines().findFirst().orElse(trimmed);
	}

	/** One clear line for a refused request: {@code Cannot <action>: <message> (<status>)}. */
	CliException failure(String action) {
		String hint = (this.status == 401) ? "; check --password" : "";
		return CliException.failure("Cannot " + action + ": " + error() + " (" + this.status + hint + ")");
	}

	static JsonNode parse(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return MissingNode.getInstance();
		}
		try {
			return JSON.readTree(text);
		}
		catch (JacksonException ex) {
			return MissingNode.getInstance();
		}
	}

}
