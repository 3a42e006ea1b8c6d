package dev.gambiarra.rooms;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.gambiarra.config.HubProperties;
import dev.gambiarra.config.SecurityProperties;
import dev.gambiarra.support.TestClock;
import dev.gambiarra.web.HubException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The per-address failure counter: blocks after the limit, per address, in bounded memory. */
class FailedAttemptsTest {

	private final TestClock clock = new TestClock();

	private FailedAttempts attempts(int max, Duration window, int tracked) {
		return new FailedAttempts(new SecurityProperties(List.of(), List.of(), true, Duration.ofSeconds(1), max,
				window, tracked), this.clock);
	}

	private static MockServerHttpRequest from(String address) {
		return MockServerHttpRequest.get("/").remoteAddress(new InetSocketAddress(address, 40000)).build();
	}

	@Test
	void aClientOverTheLimitGets429WithRetryAfterAndOthersDoNot() {
		FailedAttempts attempts = attempts(3, Duration.ofMinutes(1), 100);
		for (int i = 0; i < 3; i++) {
			attempts.check(from("10.0.0.1"));
			attempts.recordFailure(from("10.0.0.1"));
		}
		assertThatThrownBy(() -> attempts.check(from("10.0.0.1"))).isInstanceOfSatisfying(HubException.class,
				(ex) -> {
					assertThat(ex.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
					assertThat(Long.parseLong(ex.headers().getFirst("Retry-After"))).isBetween(1L, 60L);
				});
		assertThatNoException().isThrownBy(() -> attempts.check(from("10.0.0.2")));
	}

	@Test
	void wrongPasswordsOverTheAgentSocketShareTheCountOfHttpOnes() {
		FailedAttempts attempts = attempts(2, Duration.ofMinutes(1), 100);
		RoomService rooms = mock(RoomService.class);
		Room room = new Room("id", "ABC123", "vault", "host-secret", "public-host", 0L, "argon2-hash");
		when(rooms.passwordMatches(eq(room), any())).thenReturn(Mono.just(false));
		RoomAccess access = new RoomAccess(rooms, new HubProperties(null), attempts);
		StepVerifier.create(access.checkPassword(room, "guess-1", MockServerWebExchange.from(from("10.0.0.9"))))
			.expectErrorSatisfies((ex) -> assertThat(((HubException) ex).status()).isEqualTo(HttpStatus.UNAUTHORIZED))
			.verify();
		StepVerifier.create(access.checkPassword(room, "guess-2", "10.0.0.9"))
			.expectErrorSatisfies((ex) -> assertThat(((HubException) ex).status()).isEqualTo(HttpStatus.UNAUTHORIZED))
			.verify();
		StepVerifier.create(access.checkPassword(room, "guess-3", "10.0.0.9"))
			.expectErrorSatisfies(
					(ex) -> assertThat(((HubException) ex).status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS))
			.verify();
		StepVerifier.create(access.checkPassword(room, "guess-1", "10.0.0.10"))
			.expectErrorSatisfies((ex) -> assertThat(((HubException) ex).status()).isEqualTo(HttpStatus.UNAUTHORIZED))
			.verify();
	}

	@Test
	void theWindowEndsAndTheClientMayTryAgain() {
		FailedAttempts attempts = attempts(1, Duration.ofMillis(200), 100);
		attempts.recordFailure(from("10.0.0.1"));
		assertThatThrownBy(() -> attempts.check(from("10.0.0.1"))).isInstanceOf(HubException.class);
		this.clock.advance(Duration.ofMillis(199));
		assertThatThrownBy(() -> attempts.check(from("10.0.0.1"))).isInstanceOf(HubException.class);
		this.clock.advance(Duration.ofMillis(1));
		assertThatNoException().isThrownBy(() -> attempts.check(from("10.0.0.1")));
	}

	@Test
	void memoryIsBoundedWhateverTheNumberOfAddresses() {
		FailedAttempts attempts = attempts(5, Duration.ofMinutes(1), 50);
		for (int i = 0; i < 5000; i++) {
			attempts.recordFailure(from("10." + (i / 65536) + "." + ((i / 256) % 256) + "." + (i % 256)));
		}
		assertThat(attempts.tracked()).isLessThanOrEqualTo(50);
	}

}
