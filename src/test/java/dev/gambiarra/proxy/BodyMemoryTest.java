package dev.gambiarra.proxy;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import dev.gambiarra.web.HubException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BodyMemoryTest {

	@Test
	void reservesUpToTheLimitAndGivesBackOnce() {
		BodyMemory memory = new BodyMemory(100);
		BodyMemory.Reservation first = memory.reserve(60);
		BodyMemory.Reservation second = memory.reserve(40);
		assertThat(memory.used()).isEqualTo(100);
		assertThatExceptionOfType(HubException.class).isThrownBy(() -> memory.reserve(1))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
				assertThat(ex.getMessage()).contains("try again");
			});
		first.release();
		first.release();
		assertThat(memory.used()).isEqualTo(40);
		second.release();
		assertThat(memory.used()).isZero();
	}

	@Test
	void oneBodyLargerThanTheWholeBudgetPassesWhenAlone() {
		BodyMemory memory = new BodyMemory(100);
		BodyMemory.Reservation huge = memory.reserve(500);
		assertThatExceptionOfType(HubException.class).isThrownBy(() -> memory.reserve(1));
		huge.release();
		assertThat(memory.reserve(1)).isNotNull();
	}

}
