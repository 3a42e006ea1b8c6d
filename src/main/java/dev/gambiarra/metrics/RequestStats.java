package dev.gambiarra.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;

/**
 * Per-participant request figures, room by room, for {@code GET /rooms/{code}/stats}, consoles and the per-participant
 * meters. An entry exists only while its participant is registered: it is removed (meters included) when the
 * participant leaves or is kicked, when its room closes, and reset when it re-registers with another model. So the
 * structure, like the meter tags, is bounded by {@code max-rooms x max-participants-per-room}.
 */
@Service
public class RequestStats implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RequestStats.class);

	private final Map<String, Map<String, ParticipantMeters>> rooms = new ConcurrentHashMap<>();

	private final MeterRegistry registry;

	private final EventBus events;

	private final RoomService roomService;

	private volatile @Nullable Disposable subscription;

	RequestStats(MeterRegistry registry, EventBus events, RoomService roomService) {
		this.registry = registry;
		this.events = events;
		this.roomService = roomService;
	}

	/** The figures of a participant that is about to serve a request, created on its first request. */
	ParticipantMeters of(Room room, Participant participant) {
		Map<String, ParticipantMeters> byParticipant = this.rooms.computeIfAbsent(room.code(),
				(code) -> new ConcurrentHashMap<>());
		ParticipantMeters stats = byParticipant.computeIfAbsent(participant.id(),
				(id) -> new ParticipantMeters(this.registry, room.code(), id, participant.model()));
		if (room.participant(participant.id()) == null || this.roomService.find(room.code()).orElse(null) != room) {
			// It left (or the room closed) while the request was being routed: do not keep figures for it.
			forget(room.code(), participant.id());
		}
		return stats;
	}

	/** A snapshot of every registered participant of the room, with zeros for those that served nothing yet. */
	public RoomStats snapshot(Room room) {
		Map<String, ParticipantMeters> byParticipant = this.rooms.getOrDefault(room.code(), Map.of());
		List<ParticipantSnapshot> participants = new ArrayList<>();
		List<Participant> registered = new ArrayList<>(room.participants());
		registered.sort(Comparator.comparingLong(Participant::joinedAt).thenComparing(Participant::id));
		for (Participant participant : registered) {
			ParticipantMeters stats = byParticipant.get(participant.id());
			String status = participant.status().wireName();
			participants.add((stats != null) ? stats.snapshot(participant.id(), participant.nickname(), status)
					: ParticipantMeters.idle(participant.id(), participant.nickname(), participant.model(), status));
		}
		return new RoomStats(room.code(), System.currentTimeMillis(), participants);
	}

	/** Requests being answered right now, hub-wide. */
	public int inFlight() {
		int total = 0;
		for (Map<String, ParticipantMeters> byParticipant : this.rooms.values()) {
			for (ParticipantMeters stats : byParticipant.values()) {
				total += stats.inFlight();
			}
		}
		return total;
	}

	void forget(String room, String participantId) {
		Map<String, ParticipantMeters> byParticipant = this.rooms.get(room);
		if (byParticipant != null) {
			ParticipantMeters removed = byParticipant.remove(participantId);
			if (removed != null) {
				removed.remove();
			}
		}
	}

	/** Drops the figures and meters of every participant of a room (done on {@code room:closed} as well). */
	public void forgetRoom(String room) {
		Map<String, ParticipantMeters> byParticipant = this.rooms.remove(room);
		if (byParticipant != null) {
			byParticipant.values().forEach(ParticipantMeters::remove);
		}
	}

	private void onEvent(HubEvent event) {
		try {
			forgetGone(event);
		}
		catch (RuntimeException ex) {
			// Keep listening: one odd event must not stop the clean-up of every later one.
			logger.warn("Could not update request stats for {}: {}", event.type(), ex.toString());
		}
	}

	private void forgetGone(HubEvent event) {
		String room = event.room();
		if (room == null) {
			return;
		}
		switch (event.type()) {
			case "participant:left", "participant:kicked" -> {
				if (event.data() instanceof Map<?, ?> data && data.get("participantId") instanceof String id) {
					forget(room, id);
				}
			}
			case "participant:joined" -> {
				if (event.data() instanceof Participant joined) {
					ParticipantMeters stats = this.rooms.getOrDefault(room, Map.of()).get(joined.id());
					if (stats != null && !stats.model().equals(joined.model())) {
						forget(room, joined.id());
					}
				}
			}
			case "room:closed" -> forgetRoom(room);
			default -> {
			}
		}
	}

	@Override
	public void start() {
		this.subscription = this.events.all().subscribe(this::onEvent);
	}

	@Override
	public void stop() {
		Disposable current = this.subscription;
		if (current != null) {
			current.dispose();
		}
		this.subscription = null;
	}

	@Override
	public boolean isRunning() {
		return this.subscription != null;
	}

}
