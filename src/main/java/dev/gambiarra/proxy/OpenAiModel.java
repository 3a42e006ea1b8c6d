package dev.gambiarra.proxy;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.gambiarra.rooms.Participant;

/** A participant as an OpenAI model entry, extended with who serves it. */
record OpenAiModel(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
		Details gambiarra) {

	static OpenAiModel of(Participant participant) {
		return new OpenAiModel(participant.id(), "model", participant.joinedAt() / 1000, participant.nickname(),
				new Details(participant.nickname(), participant.model(), participant.endpoint()));
	}

	record Details(String nickname, String model, String endpoint) {
	}

}
