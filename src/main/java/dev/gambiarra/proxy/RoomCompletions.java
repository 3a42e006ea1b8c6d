package dev.gambiarra.proxy;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.web.HubException;
import dev.gambiarra.web.Ids;
import dev.gambiarra.web.RequestIds;

/**
 * Streaming chat completions from a room, in process: the same routing ({@code *}, {@code model:NAME}, id) and
 * upstream client as {@code /rooms/{code}/v1/chat/completions}, for features of the hub itself (the agent).
 */
@Service
public class RoomCompletions {

	private final RoomService rooms;

	private final ParticipantRouter router;

	private final UpstreamClient upstream;

	private final EventBus events;

	RoomCompletions(RoomService rooms, ParticipantRouter router, UpstreamClient upstream, EventBus events) {
		this.rooms = rooms;
		this.router = router;
		this.upstream = upstream;
		this.events = events;
	}

	/** Completes when {@code password} opens the room: 404 {@link HubException} when unknown, 401 when wrong. */
	public Mono<Void> authorize(String code, @Nullable String password) {
		return Mono.defer(() -> {
			Room room = this.rooms.require(code);
			if (!room.isProtected()) {
				return Mono.empty();
			}
			return this.rooms.passwordMatches(room, password)
				.flatMap((ok) -> ok ? Mono.<Void>empty() : Mono.error(new HubException(HttpStatus.UNAUTHORIZED,
						 "Invalid password", "invalid_password")));
		});
	}

	/**
	 * Streams a chat completion from the participant {@code model} routes to; emits the upstream's SSE
	 * {@code data:} payloads (JSON chunks) up to, not including, {@code [DONE]}. Routing failures are
	 * {@link HubException}s; upstream error statuses are {@code WebClientResponseException}s.
	 */
	public Flux<String> stream(String code, String model, ObjectNode body) {
		return Flux.defer(() -> {
			Room room = this.rooms.require(code);
			Participant participant = this.router.route(room, model);
			body.put("model", participant.model());
			body.put("stream", true);
			String requestId = Ids.uuid();
			this.events.publish(HubEvent.llmRequest(room.code(), participant.id(), model, requestId));
			return this.upstream.webClient()
				.post()
				.uri(URI.create(participant.endpoint() + "/v1/chat/completions"))
				.headers((headers) -> {
					headers.setContentType(MediaType.APPLICATION_JSON);
					headers.setAccept(List.of(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON));
					headers.set(RequestIds.HEADER, requestId);
					if (participant.apiKey() != null) {
						headers.setBearerAuth(participant.apiKey());
					}
				})
				.bodyValue(body)
				.retrieve()
				.bodyToFlux(String.class)
				.takeWhile((data) -> !data.strip().equals("[DONE]"))
				.doOnError((ex) -> this.events.publish(HubEvent.llmError(room.code(), participant.id(),
						ProxyService.describe(ex), requestId)));
		});
	}

}
