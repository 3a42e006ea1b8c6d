package dev.gambiarra.proxy;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.gambiarra.rooms.RoomAccess;
import dev.gambiarra.web.HubException;

/** {@code GET /rooms/{code}/participants/{id}/load}: in-flight requests, cap and circuit breaker of a participant. */
@RestController
class LoadController {

	private final RoomAccess access;

	private final LoadBalancer balancer;

	LoadController(RoomAccess access, LoadBalancer balancer) {
		this.access = access;
		this.balancer = balancer;
	}

	@GetMapping("/rooms/{code}/participants/{participantId}/load")
	Mono<ParticipantLoad> load(@PathVariable String code, @PathVariable String participantId,
			ServerWebExchange exchange) {
		return this.access.enter(code, exchange).map((room) -> {
			if (room.participant(participantId) == null) {
				throw HubException.notFound("Participant not found", "participant_not_found");
			}
			return this.balancer.snapshot(room.code(), participantId);
		});
	}

}
