package dev.gambiarra.proxy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** A graceful stop waits for the relays on the pipeline in flight, and refuses new ones meanwhile. */
class RelayDrainTest {

	@Test
	void theStopCompletesWhenTheLastRelayInFlightEnds() {
		RelayDrain drain = new RelayDrain(new MockEnvironment());
		drain.start();
		drain.enter();
		drain.enter();
		AtomicInteger stopped = new AtomicInteger();
		drain.stop(stopped::incrementAndGet);
		assertThat(drain.isDraining()).isTrue();
		assertThat(drain.isRunning()).isFalse();
		drain.exit();
		assertThat(stopped).hasValue(0);
		drain.exit();
		assertThat(stopped).hasValue(1);
		assertThat(drain.inFlight()).isZero();
	}

	@Test
	void nothingInFlightStopsAtOnce() {
		RelayDrain drain = new RelayDrain(new MockEnvironment());
		drain.start();
		assertThat(drain.isDraining()).isFalse();
		AtomicInteger stopped = new AtomicInteger();
		drain.stop(stopped::incrementAndGet);
		assertThat(stopped).hasValue(1);
	}

	@Test
	void anImmediateShutdownDoesNotWait() {
		RelayDrain drain = new RelayDrain(new MockEnvironment().withProperty("server.shutdown", "immediate"));
		drain.start();
		drain.enter();
		AtomicInteger stopped = new AtomicInteger();
		drain.stop(stopped::incrementAndGet);
		assertThat(stopped).hasValue(1);
	}

}
