package dev.gambiarra.agent.provider;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.gambiarra.resilience.CircuitBreaker;
import dev.gambiarra.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries before the first token only, fallbacks in order, and the circuit breaker. */
class ProviderChainTests {

	static final List<ChatMessage> messages = List.of(ChatMessage.user("hi"));

	final TestClock clock = new TestClock();

	static ProviderProperties properties(int breakerFailures, Duration firstToken) {
		return new ProviderProperties(Duration.ofSeconds(1), firstToken, Duration.ofSeconds(5), 2,
				Duration.ofMillis(5), Duration.ofMillis(10), breakerFailures, Duration.ofSeconds(30), null, "m", true,
				4);
	}

	ProviderChain chain(ProviderProperties properties, FakeProvider... providers) {
		return new ProviderChain(java.util.Arrays.stream(providers)
			.map((p) -> new ProviderChain.Entry(p, new CircuitBreaker(properties.breakerFailures(),
					properties.breakerCooldown(), this.clock)))
			.toList(), properties);
	}

	@Test
	void retriesTransientFailuresBeforeTheFirstToken() {
		FakeProvider flaky = new FakeProvider("flaky").then(() -> Flux.error(new ConnectException("refused")))
			.then(() -> Flux.error(status(503)))
			.then(() -> Flux.just("", "Hel", "lo"));
		StepVerifier.create(chain(properties(5, Duration.ofSeconds(5)), flaky).stream(messages))
			.expectNext("Hel", "lo")
			.verifyComplete();
		assertThat(flaky.calls).hasValue(3);
	}

	@Test
	void neverRetriesOnceATokenWasDelivered() {
		FakeProvider dropping = new FakeProvider("dropping")
			.then(() -> Flux.concat(Flux.just("partial"), Flux.error(new ConnectException("reset"))));
		FakeProvider fallback = new FakeProvider("fallback").then(() -> Flux.just("never"));
		StepVerifier.create(chain(properties(5, Duration.ofSeconds(5)), dropping, fallback).stream(messages))
			.expectNext("partial")
			.expectErrorSatisfies((ex) -> {
				assertThat(ex).isInstanceOf(ProviderException.class);
				assertThat(((ProviderException) ex).code()).isEqualTo("provider_error");
			})
			.verify(Duration.ofSeconds(5));
		assertThat(dropping.calls).hasValue(1);
		assertThat(fallback.calls).hasValue(0);
	}

	@Test
	void fallsBackWithoutRetryingPermanentErrors() {
		FakeProvider refusing = new FakeProvider("refusing").then(() -> Flux.error(status(400)));
		FakeProvider fallback = new FakeProvider("fallback").then(() -> Flux.just("ok"));
		StepVerifier.create(chain(properties(5, Duration.ofSeconds(5)), refusing, fallback).stream(messages))
			.expectNext("ok")
			.verifyComplete();
		assertThat(refusing.calls).hasValue(1);
	}

	@Test
	void namesEveryProviderWhenNoneAnswers() {
		FakeProvider silent = new FakeProvider("silent").then(Flux::never).then(Flux::never).then(Flux::never);
		WebClientResponseException failure = status(500); // created up front: class loading is not the provider's delay
		FakeProvider down = new FakeProvider("down").then(() -> Flux.error(failure))
			.then(() -> Flux.error(failure))
			.then(() -> Flux.error(failure));
		StepVerifier.create(chain(properties(5, Duration.ofMillis(200)), silent, down).stream(messages))
			.expectErrorSatisfies((ex) -> {
				assertThat(((ProviderException) ex).code()).isEqualTo("no_provider");
				assertThat(ex.getMessage()).contains("silent: no answer within the timeout", "down: HTTP 500");
			})
			.verify(Duration.ofSeconds(5));
		assertThat(silent.calls).hasValue(3);
	}

	@Test
	void anOpenBreakerSkipsTheProviderUntilItsCooldownEnds() {
		ProviderProperties properties = properties(2, Duration.ofSeconds(5));
		FakeProvider broken = new FakeProvider("broken");
		for (int i = 0; i < 6; i++) {
			broken.then(() -> Flux.error(status(400)));
		}
		broken.then(() -> Flux.just("back"));
		ProviderChain chain = chain(properties, broken);
		StepVerifier.create(chain.stream(messages)).expectError(ProviderException.class).verify();
		StepVerifier.create(chain.stream(messages)).expectError(ProviderException.class).verify();
		assertThat(broken.calls).hasValue(2);
		StepVerifier.create(chain.stream(messages))
			.expectErrorSatisfies((ex) -> assertThat(ex.getMessage()).contains("broken: paused", "circuit open"))
			.verify();
		assertThat(broken.calls).hasValue(2);
		this.clock.advance(Duration.ofSeconds(31));
		StepVerifier.create(chain.stream(messages)).expectError(ProviderException.class).verify();
		assertThat(broken.calls).as("one trial after the cooldown").hasValue(3);
		StepVerifier.create(chain.stream(messages)).expectError(ProviderException.class).verify();
		assertThat(broken.calls).as("the failed trial opened it again").hasValue(3);
	}

	static WebClientResponseException status(int status) {
		return WebClientResponseException.create(status, "status " + status, HttpHeaders.EMPTY, new byte[0], null);
	}

	static final class FakeProvider implements ChatProvider {

		final String name;

		final AtomicInteger calls = new AtomicInteger();

		final ConcurrentLinkedQueue<Supplier<Flux<String>>> script = new ConcurrentLinkedQueue<>();

		FakeProvider(String name) {
			this.name = name;
		}

		FakeProvider then(Supplier<Flux<String>> answer) {
			this.script.add(answer);
			return this;
		}

		@Override
		public String describe() {
			return this.name;
		}

		@Override
		public @Nullable String room() {
			return null;
		}

		@Override
		public Flux<String> stream(List<ChatMessage> messages) {
			return Flux.defer(() -> {
				this.calls.incrementAndGet();
				Supplier<Flux<String>> next = this.script.poll();
				return (next != null) ? next.get() : Flux.error(new IllegalStateException("script exhausted"));
			});
		}

	}

}
