package dev.gambiarra.shutdown;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;

/**
 * Sends {@code room:closed} (reason {@code hub shutting down}) to the subscribers of every room when the hub stops,
 * so clients learn the room is gone rather than seeing a dropped connection.
 * <p>
 * Ordering: this bean shares the {@link EventBus}'s phase (the first to stop) and depends on it, and Spring stops a
 * bean's dependents before the bean itself, so the events go out while the bus still delivers; the bus then ends
 * every stream, and only after that does the web server stop accepting and drain in-flight requests.
 */
@Component
class ShutdownAnnouncer implements SmartLifecycle {

	static final String REASON = "hub shutting down";

	private static final Logger logger = LoggerFactory.getLogger(ShutdownAnnouncer.class);

	private final EventBus events;

	private final RoomService rooms;

	private volatile boolean running;

	ShutdownAnnouncer(EventBus events, RoomService rooms) {
		this.events = events;
		this.rooms = rooms;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		if (this.rooms.sharedStore()) {
			// Rooms live on in the shared store (and on the other hubs): nothing closes.
			logger.info("Shutting down: {} event subscriber(s) end, rooms stay in the shared store",
					this.events.subscriberCount());
			return;
		}
		List<String> codes = this.rooms.rooms().stream().map(Room::code).toList();
		logger.info("Shutting down: telling {} room(s) and {} event subscriber(s)", codes.size(),
				this.events.subscriberCount());
		for (String code : codes) {
			this.events.publish(HubEvent.roomClosed(code, REASON));
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public boolean isPauseable() {
		// Stopping tells every room the hub is going away: only for a real shutdown, not a test context pause.
		return false;
	}

	@Override
	public int getPhase() {
		return DEFAULT_PHASE;
	}

}
