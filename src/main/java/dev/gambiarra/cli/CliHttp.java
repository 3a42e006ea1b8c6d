package dev.gambiarra.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import dev.gambiarra.shell.CliException;

/**
 * The client commands' HTTP, built once per process (on first use): one JDK {@link HttpClient} (connect timeout
 * {@code gambiarra.cli.connect-timeout}, HTTP/1.1, no redirects) behind a {@link RestClient} for plain requests, each
 * bounded by {@code gambiarra.cli.request-timeout}, and a {@link WebClient} for event streams, decoded by Spring's
 * SSE reader (events, multi-line data, comments, CRLF). Streams get their own bound from the caller. A transport
 * failure becomes a {@link CliException} with one readable line; HTTP statuses are returned for the caller to judge.
 */
@Component
class CliHttp {

	private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS =
			new ParameterizedTypeReference<>() {
			};

	private final CliProperties properties;

	private volatile @Nullable Clients clients;

	CliHttp(CliProperties properties) {
		this.properties = properties;
	}

	/** The two clients over one JDK client, built on first use: a hub that never runs a client command has none. */
	private record Clients(RestClient rest, WebClient web) {

		static Clients of(CliProperties properties) {
			HttpClient client = HttpClient.newBuilder()
				.connectTimeout(properties.connectTimeout())
				.version(HttpClient.Version.HTTP_1_1)
				.followRedirects(HttpClient.Redirect.NEVER)
				.build();
			JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
			requests.setReadTimeout(properties.requestTimeout());
			return new Clients(RestClient.builder().requestFactory(requests).build(),
					WebClient.builder().clientConnector(new JdkClientHttpConnector(client)).build());
		}

	}

	private Clients clients() {
		Clients built = this.clients;
		if (built == null) {
			synchronized (this) {
				built = this.clients;
				if (built == null) {
					built = Clients.of(this.properties);
					this.clients = built;
				}
			}
		}
		return built;
	}

	/** The hub (or LLM endpoint) at {@code base}, a URL without trailing slash. */
	Remote at(String base) {
		return new Remote(this, trimSlash(base));
	}

	/** A plain request; blocks until the answer, whatever its status, or a transport failure. */
	Reply send(HttpMethod method, URI uri, @Nullable Object body, @Nullable String bearer) {
		try {
			RestClient.RequestBodySpec request = clients().rest()
				.method(method)
				.uri(uri)
				.headers((headers) -> auth(headers, bearer));
			if (body != null) {
				request.contentType(MediaType.APPLICATION_JSON).body(Reply.JSON.writeValueAsString(body));
			}
			return request.exchange((req, response) -> Reply.of(response.getStatusCode().value(),
					StreamUtils.copyToString(response.getBody(), StandardCharsets.UTF_8)), true);
		}
		catch (ResourceAccessException ex) {
			throw transportFailure(uri, ex);
		}
	}

	/**
	 * An event stream: its events as the SSE reader decodes them or, for a non-2xx answer, the one-line failure
	 * {@code Cannot <action>: …}. Lazy: nothing is sent until it is subscribed to.
	 */
	Flux<ServerSentEvent<String>> events(HttpMethod method, URI uri, @Nullable Object body, @Nullable String bearer,
			String action) {
		WebClient.RequestBodySpec request = clients().web().method(method).uri(uri).headers((headers) -> {
			headers.setAccept(List.of(MediaType.TEXT_EVENT_STREAM));
			auth(headers, bearer);
		});
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).bodyValue(Reply.JSON.writeValueAsString(body));
		}
		return request.exchangeToFlux((response) -> response.statusCode().is2xxSuccessful()
				? response.bodyToFlux(EVENTS)
				: response.bodyToMono(String.class)
					.defaultIfEmpty("")
					.flatMapMany((text) -> Flux.error(Reply.of(response.statusCode().value(), text).failure(action))))
			.onErrorMap(WebClientRequestException.class, (ex) -> transportFailure(uri, ex));
	}

	private static void auth(HttpHeaders headers, @Nullable String bearer) {
		if (bearer != null && !bearer.isEmpty()) {
			headers.setBearerAuth(bearer);
		}
	}

	/** One line for a request that never got an answer: refused, timed out, or broken. */
	static CliException transportFailure(URI uri, Throwable failure) {
		String target = uri.getScheme() + "://" + uri.getRawAuthority();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof HttpConnectTimeoutException) {
				return CliException.failure("Cannot reach " + target + ": connection timed out");
			}
			if (cause instanceof HttpTimeoutException) {
				return CliException.failure(target + " did not answer in time");
			}
			if (cause instanceof ConnectException) {
				return CliException.failure("Cannot reach " + target + ": connection refused");
			}
		}
		return CliException.failure("Cannot talk to " + target + ": " + describe(failure));
	}

	private static String describe(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && !(cause instanceof IOException && cause.getMessage() != null)) {
			cause = cause.getCause();
		}
		return (cause.getMessage() != null && !cause.getMessage().isBlank()) ? cause.getMessage()
				: cause.getClass().getSimpleName();
	}

	static String trimSlash(String url) {
		String trimmed = url.strip();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		return trimmed;
	}

}
