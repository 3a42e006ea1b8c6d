package dev.gambiarra.proxy;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.web.HubException;

/**
 * Reads a request's {@code model} field into a {@link Selection}: {@code *} or {@code any} means any online
 * participant, {@code model:NAME} an online participant serving NAME, anything else a participant id and, failing
 * that, a model name. Every selection but an explicit participant id is pooled: least busy wins and failover may try
 * another. Which participant of the selection serves is the {@link LoadBalancer}'s choice.
 */
@Component
class ParticipantRouter {

	Selection select(Room room, String model) {
		Selection selection;
		if (model.equals("*") || model.equals("any")) {
			selection = new Selection(true, null, null);
		}
		else if (model.startsWith("model:")) {
			selection = new Selection(true, null, model.substring("model:".length()));
		}
		else {
			Participant byId = room.participant(model);
			if (byId != null) {
				if (byId.isOffline()) {
					throw new HubException(HttpStatus.SERVICE_UNAVAILABLE, "Participant is offline",
							"participant_offline");
				}
				return new Selection(false, byId.id(), null);
			}
			// A bare model name picks a pool just as model:NAME does (the most common thing an OpenAI client sends).
			selection = new Selection(true, null, model);
		}
		if (room.participants().stream().noneMatch(selection::matches)) {
			throw noMatch();
		}
		return selection;
	}

	static HubException noMatch() {
		return HubException.notFound("No available participant for the requested model", "model_not_found");
	}

	/**
	 * The participants a request may go to.
	 * @param pooled whether the client asked for "any of them" ({@code *}, {@code model:NAME} or a bare model
	 * name): only then is failover allowed
	 * @param participantId an explicit participant, or {@code null}
	 * @param model a model name the participant must serve, or {@code null}
	 */
	record Selection(boolean pooled, @Nullable String participantId, @Nullable String model) {

		boolean matches(Participant participant) {
			if (participant.isOffline()) {
				return false;
			}
			if (this.participantId != null) {
				return participant.id().equals(this.participantId);
			}
			return this.model == null || participant.model().equals(this.model);
		}

	}

}
