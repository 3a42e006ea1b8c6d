package dev.gambiarra;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Guards the guard: if BlockHound ever stops being installed for the test JVM, this fails. */
class BlockHoundIsActiveTest {

	@Test
	void blockingOnAReactorThreadIsDetected() {
		Mono<Void> blocking = Mono.<Void>fromRunnable(Thread::yield).subscribeOn(Schedulers.parallel());
		StepVerifier.create(blocking).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(5));
	}

}
