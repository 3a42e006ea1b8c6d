package dev.gambiarra.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.web.HubException;

/**
 * Chooses the participant that answers a request from its {@code model} field: {@code *} or {@code any} means any
 * online participant, {@code model:NAME} an online participant serving NAME, anything else a participant id and,
 * failing that, a model name.
 */
@Component
class ParticipantRouter {

	private final AtomicLong turn = new AtomicLong();

	Participant route(Room room, String model) {
		if (model.equals("*") || model.equals("any")) {
			return pick(available(room, null));
		}
		if (model.startsWith("model:")) {
			return pick(available(room, model.substring("model:".length())));
		}
		Participant byId = room.participant(model);
		if (byId != null) {
			if (byId.isOffline()) {
				throw new HubException(HttpStatus.SERVICE_UNAVAILABLE, "Participant is offline",
						"participant_offline");
			}
			return byId;
		}
		return pick(available(room, model));
	}

	/** Participants able to serve, optionally only those serving {@code model}. */
	private static List<Participant> available(Room room, @Nullable String model) {
		List<Participant> matches = new ArrayList<>();
		for (Participant participant : room.participants()) {
			if (!participant.isOffline() && (model == null || participant.model().equals(model))) {
				matches.add(participant);
			}
		}
		return matches;
	}

	private Participant pick(List<Participant> matches) {
		if (matches.isEmpty()) {
			throw HubException.notFound("No available participant for the requested model", "model_not_found");
		}
		if (matches.size() == 1) {
			return matches.get(0);
		}
		return matches.get((int) Math.floorMod(this.turn.getAndIncrement(), (long) matches.size()));
	}

}
