package dev.gambiarra.cli;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerSentEvent;

import dev.gambiarra.shell.CliException;

/**
 * A hub or an LLM endpoint at one base URL, reached through the process's one {@link CliHttp}. Cheap to make: it
 * holds no connection of its own.
 */
record Remote(CliHttp http, String base) {

	Reply get(String path, @Nullable String bearer) {
		return this.http.send(HttpMethod.GET, uri(path), null, bearer);
	}

	Reply post(String path, @Nullable Object body, @Nullable String bearer) {
		return this.http.send(HttpMethod.POST, uri(path), body, bearer);
	}

	Reply delete(String path, @Nullable String bearer) {
		return this.http.send(HttpMethod.DELETE, uri(path), null, bearer);
	}

	/** @see CliHttp#events */
	Flux<ServerSentEvent<String>> events(HttpMethod method, String path, @Nullable Object body,
			@Nullable String bearer, String action) {
		return this.http.events(method, uri(path), body, bearer, action);
	}

	private URI uri(String path) {
		try {
			URI uri = URI.create(this.base + path);
			if (uri.getHost() == null) {
				throw new IllegalArgumentException("no host");
			}
			return uri;
		}
		catch (IllegalArgumentException ex) {
			throw CliException.usage("Invalid URL: " + this.base + path);
		}
	}

}
