package dev.gambiarra.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Makes the hub's clock a {@link TestClock} ({@code @Import(SteppedClock.class)}, then autowire {@code TestClock}):
 * cool-downs, windows and presence timeouts pass when the test steps it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SteppedClock {

	@Bean
	@Primary
	TestClock testClock() {
		return new TestClock();
	}

}
