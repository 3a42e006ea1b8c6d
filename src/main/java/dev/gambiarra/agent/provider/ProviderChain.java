package dev.gambiarra.agent.provider;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.handler.timeout.ReadTimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.gambiarra.outbound.AddressGuard;
import dev.gambiarra.resilience.CircuitBreaker;
import dev.gambiarra.resilience.CircuitBreaker.Admission;
import dev.gambiarra.web.HubException;

/**
 * A session's providers in order of preference. Each request goes to the first provider whose circuit breaker lets
 * it through; a failure <em>before the first token</em> is retried with exponential backoff when it looks
 * transient, then the next provider is tried. Once a token has reached the caller nothing is retried: the failure
 * surfaces as {@code provider_error}. When no provider answers: {@code no_provider}, naming each one's reason.
 */
public final class ProviderChain {

	private static final Logger logger = LoggerFactory.getLogger(ProviderChain.class);

	private final List<Entry> entries;

	private final ProviderProperties properties;

	ProviderChain(List<Entry> entries, ProviderProperties properties) {
		this.entries = List.copyOf(entries);
		this.properties = properties;
	}

	record Entry(ChatProvider provider, CircuitBreaker breaker) {
	}

	/** The preferred provider (the first). */
	public ChatProvider primary() {
		return this.entries.get(0).provider();
	}

	public String describe() {
		return String.join(", then ", this.entries.stream().map((entry) -> entry.provider().describe()).toList());
	}

	/** Streams non-empty content deltas of the answer to {@code messages}. */
	public Flux<String> stream(List<ChatMessage> messages) {
		return Flux.defer(() -> attempt(0, messages, new ArrayList<>()));
	}

	private Flux<String> attempt(int index, List<ChatMessage> messages, List<String> reasons) {
		if (index >= this.entries.size()) {
			return Flux.error(new ProviderException("no_provider",
					"No provider could answer: " + String.join("; ", reasons), false));
		}
		Entry entry = this.entries.get(index);
		ChatProvider provider = entry.provider();
		Admission admission = entry.breaker().tryAcquire();
		if (!admission.passed()) {
			reasons.add(provider.describe() + ": paused after repeated failures (circuit open)");
			return attempt(index + 1, messages, reasons);
		}
		AtomicBoolean started = new AtomicBoolean();
		AtomicBoolean settled = new AtomicBoolean();
		Duration idle = this.properties.idleTimeout();
		return Flux.defer(() -> provider.stream(messages))
			.filter((delta) -> !delta.isEmpty())
			.timeout(Mono.delay(this.properties.firstTokenTimeout()), (delta) -> Mono.delay(idle))
			.doOnNext((delta) -> started.set(true))
			.retryWhen(Retry.backoff(this.properties.maxRetries(), this.properties.retryBackoff())
				.maxBackoff(this.properties.maxRetryBackoff())
				.filter((ex) -> !started.get() && isRetryable(ex))
				.doBeforeRetry((signal) -> logger.info("Agent provider {} failed ({}), retry {}", provider.describe(),
						describe(signal.failure()), signal.totalRetries() + 1))
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()))
			.doOnComplete(() -> {
				settled.set(true);
				entry.breaker().success();
			})
			.doOnCancel(() -> {
				if (settled.compareAndSet(false, true)) {
					if (started.get()) {
						entry.breaker().success();
					}
					else {
						entry.breaker().abandon(admission);
					}
				}
			})
			.onErrorResume((ex) -> {
				settled.set(true);
				entry.breaker().failure(admission);
				String reason = describe(ex);
				logger.warn("Agent provider {} failed: {}", provider.describe(), reason);
				if (started.get()) {
					return Flux.error(new ProviderException("provider_error",
							provider.describe() + " failed while answering: " + reason, false));
				}
				reasons.add(provider.describe() + ": " + reason);
				return attempt(index + 1, messages, reasons);
			});
	}

	static boolean isRetryable(Throwable ex) {
		if (ex instanceof ProviderException provider) {
			return provider.retryable();
		}
		if (ex instanceof WebClientResponseException response) {
			int status = response.getStatusCode().value();
			return status >= 500 || status == 429 || status == 408;
		}
		if (ex instanceof HubException hub) {
			return hub.status().value() == 503;
		}
		return ex instanceof WebClientRequestException || ex instanceof TimeoutException || ex instanceof IOException
				|| ex instanceof ReadTimeoutException || (ex.getCause() != null && ex.getCause() != ex
						&& isRetryable(ex.getCause()));
	}

	/** A short, secret-free reason. */
	static String describe(Throwable ex) {
		if (ex instanceof WebClientResponseException response) {
			String body = response.getResponseBodyAsString();
			String detail = body.isBlank() ? "" : ": " + shorten(body.strip());
			return "HTTP " + response.getStatusCode().value() + detail;
		}
		if (ex instanceof HubException || ex instanceof ProviderException) {
			return String.valueOf(ex.getMessage());
		}
		if (ex instanceof TimeoutException) {
			return "no answer within the timeout";
		}
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (root instanceof ReadTimeoutException) {
			return "no data within the timeout";
		}
		if (root instanceof AddressGuard.RefusedAddressException) {
			return "address not allowed on this hub";
		}
		if (root instanceof ConnectException) {
			return "connection refused";
		}
		if (root instanceof UnknownHostException) {
			return "unknown host " + root.getMessage();
		}
		@Nullable String message = root.getMessage();
		return (message != null && !message.isBlank()) ? shorten(message) : root.getClass().getSimpleName();
	}

	private static String shorten(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "…" : text;
	}

}
