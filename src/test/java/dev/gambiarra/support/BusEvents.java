package dev.gambiarra.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.core.Disposable;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;

import org.awaitility.Awaitility;

/** Records a room's events straight from the bus, for assertions; close it at the end of the test. */
public final class BusEvents implements AutoCloseable {

	private final List<HubEvent> events = new CopyOnWriteArrayList<>();

	private final Disposable subscription;

	private BusEvents(EventBus bus, String code) {
		this.subscription = bus.room(code).subscribe(this.events::add);
	}

	public static BusEvents of(EventBus bus, String code) {
		return new BusEvents(bus, code);
	}

	public List<HubEvent> events() {
		return this.events;
	}

	public List<HubEvent> ofType(String type) {
		return this.events.stream().filter((event) -> event.type().equals(type)).toList();
	}

	/** Waits until an event of this type has been seen and returns the first one. */
	public HubEvent await(String type) {
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !ofType(type).isEmpty());
		return ofType(type).get(0);
	}

	@Override
	public void close() {
		this.subscription.dispose();
	}

}
