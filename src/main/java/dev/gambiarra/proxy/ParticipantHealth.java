package dev.gambiarra.proxy;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.proxy.LoadBalancer.Outcome;
import dev.gambiarra.resilience.CircuitBreaker;
import dev.gambiarra.resilience.CircuitBreaker.Admission;
import dev.gambiarra.resilience.CircuitState;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.ParticipantStatus;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;

/**
 * What the room sees of its participants' health while the {@link LoadBalancer} hands out leases: one
 * {@link CircuitBreaker} per participant (on the hub's clock), the {@code busy}/{@code online} status at the cap,
 * and the events and log lines of both. The balancer asks it whether a participant is in rotation and tells it when
 * a lease starts and how it ended.
 * <p>
 * A {@link RoomHealth} is only used under its room's monitor (the balancer's), so a breaker cannot change between
 * the choice of a participant and its lease. Events are queued there and sent by {@link RoomHealth#flush()} once the
 * monitor is released: an event's subscribers may call back into the balancer.
 */
@Component
class ParticipantHealth {

	private static final Logger logger = LoggerFactory.getLogger(ParticipantHealth.class);

	private final RoomService rooms;

	private final EventBus events;

	private final RoutingProperties properties;

	private final Clock clock;

	ParticipantHealth(RoomService rooms, EventBus events, RoutingProperties properties, Clock clock) {
		this.rooms = rooms;
		this.events = events;
		this.properties = properties;
		this.clock = clock;
	}

	/** A new, all-closed health record for {@code room}. */
	RoomHealth of(Room room) {
		return new RoomHealth(room);
	}

	/** The health of one room's participants; guarded by the room's monitor except {@link #flush()}. */
	final class RoomHealth {

		private final Room room;

		private final Map<String, CircuitBreaker> breakers = new HashMap<>();

		private final Queue<HubEvent> pending = new ConcurrentLinkedQueue<>();

		private RoomHealth(Room room) {
			this.room = room;
		}

		/** Whether the participant is in rotation: its circuit is closed, or open with the cool-down over. */
		boolean admits(String participantId) {
			CircuitBreaker breaker = this.breakers.get(participantId);
			return breaker == null || breaker.admits();
		}

		/** For a participant out of rotation: how long until a request could go to it. */
		long waitMillis(String participantId) {
			CircuitBreaker.Status status = circuit(participantId);
			return switch (status.state()) {
				case OPEN -> Math.max(1, status.retryInMillis());
				case CLOSED, HALF_OPEN -> ParticipantHealth.this.properties.circuitCoolDown().toMillis();
			};
		}

		/**
		 * A lease of {@code participant} starts, its {@code inFlight}-th: the breaker lets it through (as the trial
		 * after a cool-down, if it was open) and a participant at its cap becomes {@code busy}.
		 */
		Admission leased(Participant participant, int inFlight) {
			Admission admission = breaker(participant.id()).tryAcquire();
			if (admission == Admission.TRIAL) {
				logger.info("Participant {} of room {}: trial request after cool-down", participant.id(),
						this.room.code());
			}
			if (inFlight >= participant.maxConcurrent()
					&& moveStatus(participant.id(), ParticipantStatus.ONLINE, ParticipantStatus.BUSY)) {
				this.pending.add(HubEvent.participantBusy(this.room.code(), participant.id()));
			}
			return admission;
		}

		/**
		 * A lease let through with {@code admission} ended with {@code outcome}, leaving {@code inFlight}: the
		 * breaker gets the verdict, and a participant below its cap again is {@code online}.
		 */
		void released(String participantId, Admission admission, Outcome outcome, int inFlight) {
			CircuitBreaker breaker = breaker(participantId);
			switch (outcome) {
				case SUCCESS -> {
					if (breaker.success()) {
						logger.info("Participant {} of room {} answers again: circuit closed", participantId,
								this.room.code());
						this.pending.add(HubEvent.participantCircuitClosed(this.room.code(), participantId));
					}
				}
				case FAILURE -> {
					if (breaker.failure(admission)) {
						int failures = breaker.status().failures();
						long coolDown = breaker.coolDown().toMillis();
						logger.warn("Participant {} of room {} failed {} times in a row: circuit open for {} ms",
								participantId, this.room.code(), failures, coolDown);
						this.pending.add(HubEvent.participantCircuitOpen(this.room.code(), participantId, failures,
								coolDown));
					}
				}
				case NONE -> breaker.abandon(admission);
			}
			Participant current = this.room.participant(participantId);
			if (current != null && inFlight < current.maxConcurrent()
					&& moveStatus(participantId, ParticipantStatus.BUSY, ParticipantStatus.ONLINE)) {
				this.pending.add(HubEvent.participantOnline(this.room.code(), participantId));
			}
		}

		/**
		 * Another hub sharing the store opened ({@code open}) or closed the participant's circuit: its verdict holds
		 * here too (an opened circuit for this hub's cool-down). This hub's own events come back through the store
		 * and find the breaker in that state already.
		 * @return whether this changed the breaker
		 */
		boolean heard(String participantId, boolean open) {
			CircuitBreaker breaker = breaker(participantId);
			boolean changed = open ? breaker.openedElsewhere() : breaker.closedElsewhere();
			if (changed) {
				logger.info("Participant {} of room {}: circuit {} by another hub", participantId, this.room.code(),
						open ? "opened" : "closed");
			}
			return changed;
		}

		/** The participant's circuit breaker as it stands; closed when it was never routed to. */
		CircuitBreaker.Status circuit(String participantId) {
			CircuitBreaker breaker = this.breakers.get(participantId);
			return (breaker != null) ? breaker.status() : CLOSED;
		}

		/** Forgets the breakers of participants who left the room. */
		void prune() {
			if (this.breakers.size() > this.room.participants().size()) {
				this.breakers.keySet().removeIf((id) -> this.room.participant(id) == null);
			}
		}

		/** Sends the queued events, in order; called with the room's monitor released. */
		void flush() {
			for (HubEvent event = this.pending.poll(); event != null; event = this.pending.poll()) {
				ParticipantHealth.this.events.publish(event);
			}
		}

		private CircuitBreaker breaker(String participantId) {
			return this.breakers.computeIfAbsent(participantId,
					(id) -> new CircuitBreaker(ParticipantHealth.this.properties.circuitFailureThreshold(),
							ParticipantHealth.this.properties.circuitCoolDown(), ParticipantHealth.this.clock));
		}

		private boolean moveStatus(String participantId, ParticipantStatus from, ParticipantStatus to) {
			Participant before = this.room.participant(participantId);
			if (before == null || before.status() != from) {
				return false;
			}
			Participant after = ParticipantHealth.this.rooms.updateStatus(this.room, participantId, from, to);
			return after != null && after.status() == to;
		}

	}

	private static final CircuitBreaker.Status CLOSED = new CircuitBreaker.Status(CircuitState.CLOSED, 0, 0);

}
