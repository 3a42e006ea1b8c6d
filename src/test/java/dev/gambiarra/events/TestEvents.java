package dev.gambiarra.events;

import java.time.Duration;

/** A real {@link EventBus} for unit tests outside this package. */
public final class TestEvents {

	private TestEvents() {
	}

	public static EventBus bus() {
		return new EventBus(new EventsProperties(Duration.ofSeconds(15), 256, 100));
	}

}
