package dev.gambiarra.proxy;

import java.util.Comparator;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.RoomAccess;
import dev.gambiarra.web.HubException;

/**
 * The OpenAI-compatible model listing of a room: {@code GET /rooms/{code}/v1/models[/{id}]}. The relayed calls are
 * {@link RelayFilter}.
 */
@RestController
class OpenAiController {

	private final RoomAccess access;

	OpenAiController(RoomAccess access) {
		this.access = access;
	}

	@GetMapping("/rooms/{code}/v1/models")
	Mono<ModelList> models(@PathVariable String code, ServerWebExchange exchange) {
		return this.access.enter(code, exchange)
			.map((room) -> new ModelList("list", room.participants()
				.stream()
				.filter((participant) -> !participant.isOffline())
				.sorted(Comparator.comparingLong(Participant::joinedAt))
				.map(OpenAiModel::of)
				.toList()));
	}

	@GetMapping("/rooms/{code}/v1/models/{*id}")
	Mono<OpenAiModel> model(@PathVariable String code, @PathVariable String id, ServerWebExchange exchange) {
		String participantId = id.startsWith("/") ? id.substring(1) : id;
		return this.access.enter(code, exchange).map((room) -> {
			Participant participant = room.participant(participantId);
			if (participant == null || participant.isOffline()) {
				throw HubException.notFound("Model not found", "model_not_found");
			}
			return OpenAiModel.of(participant);
		});
	}

	record ModelList(String object, List<OpenAiModel> data) {
	}

}
