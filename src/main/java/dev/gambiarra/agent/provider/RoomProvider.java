package dev.gambiarra.agent.provider;

import java.util.List;

import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Flux;

import dev.gambiarra.proxy.RoomCompletions;

/** A room of this hub, routed in process exactly like the room's {@code /v1/chat/completions}. */
final class RoomProvider implements ChatProvider {

	private final RoomCompletions completions;

	private final String room;

	private final String model;

	private final JsonMapper json;

	RoomProvider(RoomCompletions completions, String room, String model, JsonMapper json) {
		this.completions = completions;
		this.room = room;
		this.model = model;
		this.json = json;
	}

	@Override
	public String describe() {
		return "room " + this.room + " (model " + this.model + ")";
	}

	@Override
	public String room() {
		return this.room;
	}

	@Override
	public Flux<String> stream(List<ChatMessage> messages) {
		return Flux.defer(() -> this.completions
			.stream(this.room, this.model, OpenAiProvider.body(this.json, this.model, messages))
			.map((data) -> ChatChunks.content(this.json, data)));
	}

}
