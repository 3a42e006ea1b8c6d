package dev.gambiarra;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopCountTest {

	private final String before = System.getProperty(GambiarraApplication.IO_WORKERS);

	@AfterEach
	void restore() {
		if (this.before == null) {
			System.clearProperty(GambiarraApplication.IO_WORKERS);
		}
		else {
			System.setProperty(GambiarraApplication.IO_WORKERS, this.before);
		}
	}

	@Test
	void oneEventLoopPerCoreUnlessTheOperatorChose() {
		System.clearProperty(GambiarraApplication.IO_WORKERS);
		GambiarraApplication.oneEventLoopPerCore();
		assertThat(System.getProperty(GambiarraApplication.IO_WORKERS))
			.isEqualTo(String.valueOf(Runtime.getRuntime().availableProcessors()));

		System.setProperty(GambiarraApplication.IO_WORKERS, "7");
		GambiarraApplication.oneEventLoopPerCore();
		assertThat(System.getProperty(GambiarraApplication.IO_WORKERS)).isEqualTo("7");
	}

}
