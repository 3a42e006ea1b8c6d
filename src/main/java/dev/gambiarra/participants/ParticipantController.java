package dev.gambiarra.participants;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.gambiarra.outbound.EndpointPolicy;
import dev.gambiarra.rooms.JoinResult;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomAccess;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.web.HubException;

/** Participants: join, leave, heartbeat and list. */
@RestController
class ParticipantController {

	private static final Map<String, Boolean> SUCCESS = Map.of("success", true);

	private final RoomService rooms;

	private final RoomAccess access;

	private final JoinValidator validator;

	private final EndpointPolicy endpoints;

	ParticipantController(RoomService rooms, RoomAccess access, JoinValidator validator, EndpointPolicy endpoints) {
		this.rooms = rooms;
		this.access = access;
		this.validator = validator;
		this.endpoints = endpoints;
	}

	@PostMapping("/rooms/{code}/join")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<JoinResult> join(@PathVariable String code, @RequestBody(required = false) @Nullable JoinRequest request,
			ServerWebExchange exchange) {
		JoinRequest body = (request != null) ? request : JoinRequest.EMPTY;
		String password = (body.password() != null) ? body.password()
				: RoomAccess.roomPassword(exchange.getRequest());
		String token = RoomAccess.bearer(exchange.getRequest());
		return this.rooms.resolve(code).flatMap((room) -> {
			var registration = this.validator.validate(body);
			return this.access.checkPassword(room, password, exchange)
				.then(Participant.TUNNEL.equals(registration.endpoint()) ? Mono.empty()
						: this.endpoints.checkAddresses(registration.endpoint()))
				.then(Mono.defer(() -> this.rooms.join(room, registration, token)));
		});
	}

	@DeleteMapping("/rooms/{code}/leave/{participantId}")
	Mono<Map<String, Boolean>> leave(@PathVariable String code, @PathVariable String participantId,
			ServerWebExchange exchange) {
		return this.rooms.resolve(code)
			.flatMap((room) -> this.rooms.resolveParticipant(room, participantId).flatMap((participant) -> {
				this.access.requireParticipant(room, participant, exchange);
				return this.rooms.leave(room, participantId);
			}))
			.thenReturn(SUCCESS);
	}

	@PostMapping("/rooms/{code}/health")
	Mono<Map<String, Boolean>> health(@PathVariable String code,
			@RequestBody(required = false) @Nullable HealthRequest request, ServerWebExchange exchange) {
		String id = (request != null) ? request.id() : null;
		return this.rooms.resolve(code).flatMap((room) -> {
			if (id == null || id.isEmpty()) {
				return Mono.error(HubException.badRequest("Participant ID is required"));
			}
			return this.rooms.resolveParticipant(room, id).flatMap((participant) -> {
				this.access.requireParticipant(room, participant, exchange);
				return this.rooms.heartbeat(room, id);
			});
		}).thenReturn(SUCCESS);
	}

	@GetMapping("/rooms/{code}/participants")
	Mono<Map<String, List<Participant>>> participants(@PathVariable String code, ServerWebExchange exchange) {
		return this.access.enter(code, exchange)
			.flatMap(this.rooms::participants)
			.map((participants) -> Map.of("participants", List.copyOf(participants)));
	}

	record HealthRequest(@Nullable String id) {
	}

}
