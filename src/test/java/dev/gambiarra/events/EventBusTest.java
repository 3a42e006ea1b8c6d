package dev.gambiarra.events;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class EventBusTest {

	private final EventBus bus = new EventBus(new EventsProperties(Duration.ofSeconds(15), 4, 10));

	private HubEvent event(String room, int seq) {
		return new HubEvent(room, "test:event", Map.of("seq", seq));
	}

	@Test
	void aSubscriberThatRequestsNothingFailsAsSoonAsItsBufferOverflows() {
		StepVerifier.create(this.bus.room("abc"), 0)
			.then(() -> {
				// One event handed on, four buffered: the sixth overflows, with nothing ever requested.
				for (int i = 0; i < 6; i++) {
					this.bus.publish(event("ABC", i));
				}
			})
			.expectError(EventBus.SlowSubscriberException.class)
			.verify(Duration.ofSeconds(5));
		assertThat(this.bus.subscriberCount()).isZero();
	}

	@Test
	void aSubscriberThatKeepsUpGetsEveryEventOfItsRoomOnly() {
		StepVerifier.create(this.bus.room("abc"))
			.then(() -> {
				for (int i = 0; i < 100; i++) {
					this.bus.publish(event("ABC", i));
					this.bus.publish(event("OTHER", i));
				}
			})
			.expectNextCount(100)
			.then(this.bus::stop)
			.verifyComplete();
	}

	@Test
	void shutdownCompletesEveryStream() {
		StepVerifier.create(this.bus.all(), 0)
			.then(() -> this.bus.publish(event("ABC", 1)))
			.then(this.bus::stop)
			.thenRequest(1)
			.expectNextCount(0)
			.verifyComplete();
	}

}
