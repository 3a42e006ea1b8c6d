package dev.gambiarra.metrics;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.gambiarra.rooms.RoomAccess;

/** {@code GET /rooms/{code}/stats}: who serves what in a room, and how fast; guarded like the room itself. */
@RestController
class StatsController {

	private final RoomAccess access;

	private final RequestStats stats;

	StatsController(RoomAccess access, RequestStats stats) {
		this.access = access;
		this.stats = stats;
	}

	@GetMapping("/rooms/{code}/stats")
	Mono<RoomStats> stats(@PathVariable String code, ServerWebExchange exchange) {
		return this.access.enter(code, exchange).map(this.stats::snapshot);
	}

}
