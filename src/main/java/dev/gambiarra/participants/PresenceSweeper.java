package dev.gambiarra.participants;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.gambiarra.rooms.RoomService;

/** Runs the presence sweep every {@code gambiarra.health.interval} while the hub runs. */
@Component
class PresenceSweeper implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PresenceSweeper.class);

	private final RoomService rooms;

	private final HealthProperties properties;

	private @Nullable Disposable task;

	PresenceSweeper(RoomService rooms, HealthProperties properties) {
		this.rooms = rooms;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		this.task = Flux.interval(this.properties.interval(), this.properties.interval(), Schedulers.parallel())
			.subscribe((tick) -> sweep());
	}

	private void sweep() {
		try {
			this.rooms.sweep(this.properties.timeout());
		}
		catch (RuntimeException ex) {
			logger.warn("Presence sweep failed", ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.task != null) {
			this.task.dispose();
			this.task = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.task != null;
	}

}
