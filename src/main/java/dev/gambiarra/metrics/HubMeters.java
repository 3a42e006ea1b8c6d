package dev.gambiarra.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.ParticipantStatus;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;

/**
 * Hub-wide gauges, read when scraped: rooms, participants by status, open SSE streams, requests in flight and
 * waiting in the queue. Their only tags are fixed words, so they never grow with use.
 */
@Component
class HubMeters implements MeterBinder {

	private final RoomService rooms;

	private final EventBus events;

	private final RequestStats stats;

	private final ObjectProvider<QueueDepth> queueDepth;

	HubMeters(RoomService rooms, EventBus events, RequestStats stats, ObjectProvider<QueueDepth> queueDepth) {
		this.rooms = rooms;
		this.events = events;
		this.stats = stats;
		this.queueDepth = queueDepth;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("gambiarra.rooms.active", this.rooms, (service) -> service.rooms().size())
			.description("Open rooms")
			.register(registry);
		for (ParticipantStatus status : ParticipantStatus.values()) {
			Gauge.builder("gambiarra.participants", this, (meters) -> meters.participants(status))
				.description("Registered participants by status")
				.tag("status", status.wireName())
				.register(registry);
		}
		Gauge.builder("gambiarra.sse.subscribers", this.events, EventBus::streamCount)
			.description("Open event streams (SSE connections)")
			.register(registry);
		Gauge.builder("gambiarra.proxy.inflight.all", this.stats, RequestStats::inFlight)
			.description("Requests being answered right now, hub-wide")
			.register(registry);
		Gauge.builder("gambiarra.proxy.queue.depth", this, HubMeters::queued)
			.description("Requests waiting for a free participant")
			.register(registry);
	}

	private double participants(ParticipantStatus status) {
		int count = 0;
		for (Room room : this.rooms.rooms()) {
			for (Participant participant : room.participants()) {
				if (participant.status() == status) {
					count++;
				}
			}
		}
		return count;
	}

	private double queued() {
		QueueDepth depth = this.queueDepth.getIfAvailable();
		return (depth != null) ? depth.queued() : 0;
	}

}
