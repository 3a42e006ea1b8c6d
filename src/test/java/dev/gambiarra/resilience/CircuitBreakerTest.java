package dev.gambiarra.resilience;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.gambiarra.resilience.CircuitBreaker.Admission;
import dev.gambiarra.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

/** The one breaker of the proxy and the agent, on a clock the test steps. */
class CircuitBreakerTest {

	private final TestClock clock = new TestClock();

	private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), this.clock);

	private void fail(int times) {
		for (int i = 0; i < times; i++) {
			this.breaker.failure(this.breaker.tryAcquire());
		}
	}

	@Test
	void opensOnTheThresholdthFailureInARowAndASuccessInBetweenStartsAgain() {
		fail(2);
		assertThat(this.breaker.success()).as("it was closed").isFalse();
		fail(2);
		assertThat(this.breaker.status().state()).isEqualTo(CircuitState.CLOSED);
		assertThat(this.breaker.failure(this.breaker.tryAcquire())).as("the third in a row opens it").isTrue();
		assertThat(this.breaker.status()).isEqualTo(new CircuitBreaker.Status(CircuitState.OPEN, 3, 10_000));
		assertThat(this.breaker.admits()).isFalse();
		assertThat(this.breaker.tryAcquire()).isEqualTo(Admission.REFUSED);
	}

	@Test
	void afterTheCoolDownOneTrialDecides() {
		fail(3);
		this.clock.advance(Duration.ofMillis(9_999));
		assertThat(this.breaker.tryAcquire()).isEqualTo(Admission.REFUSED);
		assertThat(this.breaker.status().retryInMillis()).isEqualTo(1);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.breaker.admits()).isTrue();
		Admission trial = this.breaker.tryAcquire();
		assertThat(trial).isEqualTo(Admission.TRIAL);
		assertThat(this.breaker.status().state()).isEqualTo(CircuitState.HALF_OPEN);
		assertThat(this.breaker.tryAcquire()).as("one trial at a time").isEqualTo(Admission.REFUSED);
		assertThat(this.breaker.success()).as("the trial closes it").isTrue();
		assertThat(this.breaker.status()).isEqualTo(new CircuitBreaker.Status(CircuitState.CLOSED, 0, 0));
	}

	@Test
	void aFailedTrialOpensItForAnotherCoolDownAndAnAbandonedOneLetsTheNextTry() {
		fail(3);
		this.clock.advance(Duration.ofSeconds(10));
		this.breaker.abandon(this.breaker.tryAcquire());
		assertThat(this.breaker.status().state()).isEqualTo(CircuitState.OPEN);
		Admission trial = this.breaker.tryAcquire();
		assertThat(trial).as("no new cool-down after an abandoned trial").isEqualTo(Admission.TRIAL);
		this.clock.advance(Duration.ofSeconds(3));
		assertThat(this.breaker.failure(trial)).isTrue();
		assertThat(this.breaker.status()).isEqualTo(new CircuitBreaker.Status(CircuitState.OPEN, 4, 10_000));
	}

	@Test
	void aLateFailureOfARequestLetThroughBeforeItOpenedDoesNotRestartTheCoolDown() {
		Admission early = this.breaker.tryAcquire();
		fail(3);
		this.clock.advance(Duration.ofSeconds(4));
		assertThat(this.breaker.failure(early)).isFalse();
		assertThat(this.breaker.status().retryInMillis()).isEqualTo(6_000);
	}

}
