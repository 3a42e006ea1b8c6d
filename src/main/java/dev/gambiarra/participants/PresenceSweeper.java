package dev.gambiarra.participants;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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
		// One sweep at a time; a failed one (the store unreachable) is logged and the next tick tries again.
		this.task = Flux.interval(this.properties.interval(), this.properties.interval(), Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> this.rooms.sweep(this.properties.timeout()).onErrorResume((ex) -> {
				logger.warn("Presence sweep failed", ex);
				return Mono.empty();
			}), 1)
			.subscribe();
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
