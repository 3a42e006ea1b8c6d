package dev.gambiarra.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

import dev.gambiarra.shell.CliException;

/**
 * A small blocking JSON-over-HTTP client for the CLI thread. Transport failures become a {@link CliException} with
 * one readable line; HTTP statuses are returned for the caller to judge.
 */
final class Http {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client;

	private final String base;

	private final Duration requestTimeout;

	Http(String base, Duration connectTimeout, Duration requestTimeout) {
		this.base = trimSlash(base);
		this.requestTimeout = requestTimeout;
		this.client = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	String base() {
		return this.base;
	}

	/** An answer: its status and its body parsed as JSON (a missing node when it is not JSON). */
	record Reply(int status, JsonNode body, String text) {

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
			return trimmed.isEmpty() ? "HTTP " + this.status
					: trimmed.lines().findFirst().orElse(trimmed);
		}

	}

	Reply get(String path, @Nullable String bearer) {
		return send("GET", path, null, bearer);
	}

	Reply post(String path, @Nullable Object body, @Nullable String bearer) {
		return send("POST", path, body, bearer);
	}

	Reply delete(String path, @Nullable String bearer) {
		return send("DELETE", path, null, bearer);
	}

	Reply send(String method, String path, @Nullable Object body, @Nullable String bearer) {
		HttpRequest request = request(method, path, body, bearer, this.requestTimeout).build();
		HttpResponse<String> response = call(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		return new Reply(response.statusCode(), parse(response.body()), response.body());
	}

	/** Opens a streamed response (SSE); the caller reads its lines and must close the stream. */
	HttpResponse<Stream<String>> stream(String method, String path, @Nullable Object body, @Nullable String bearer,
			Duration timeout) {
		HttpRequest request = request(method, path, body, bearer, timeout).header("Accept", "text/event-stream")
			.build();
		return call(request, HttpResponse.BodyHandlers.ofLines());
	}

	private HttpRequest.Builder request(String method, String path, @Nullable Object body, @Nullable String bearer,
			Duration timeout) {
		URI uri;
		try {
			uri = URI.create(path.startsWith("http://") || path.startsWith("https://") ? path : this.base + path);
		}
		catch (IllegalArgumentException ex) {
			throw CliException.usage("Invalid URL: " + this.base + path);
		}
		HttpRequest.BodyPublisher publisher = (body != null)
				? HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8)
				: HttpRequest.BodyPublishers.noBody();
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).method(method, publisher);
		if (body != null) {
			builder.header("Content-Type", "application/json");
		}
		if (bearer != null && !bearer.isEmpty()) {
			builder.header("Authorization", "Bearer " + bearer);
		}
		return builder;
	}

	private <T> HttpResponse<T> call(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
		String target = request.uri().getScheme() + "://" + request.uri().getAuthority();
		try {
			return this.client.send(request, handler);
		}
		catch (HttpConnectTimeoutException ex) {
			throw CliException.failure("Cannot reach " + target + ": connection timed out");
		}
		catch (HttpTimeoutException ex) {
			throw CliException.failure(target + " did not answer in time");
		}
		catch (ConnectException ex) {
			throw CliException.failure("Cannot reach " + target + ": connection refused");
		}
		catch (IOException ex) {
			throw CliException.failure("Cannot talk to " + target + ": " + describe(ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw CliException.failure("Interrupted");
		}
		catch (IllegalArgumentException ex) {
			throw CliException.usage("Invalid URL " + request.uri() + ": " + ex.getMessage());
		}
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

	private static String describe(IOException ex) {
		String message = ex.getMessage();
		if (message == null || message.isBlank()) {
			Throwable cause = ex.getCause();
			message = (cause != null && cause.getMessage() != null) ? cause.getMessage() : ex.getClass().getSimpleName();
		}
		return message;
	}

	static String trimSlash(String url) {
		String trimmed = url.strip();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		return trimmed;
	}

}
