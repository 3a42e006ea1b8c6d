package dev.gambiarra.rooms;

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

import dev.gambiarra.config.LimitsProperties;
import dev.gambiarra.web.HubException;

/** Rooms: create, list and close. */
@RestController
class RoomController {

	private final RoomService rooms;

	private final RoomAccess access;

	private final LimitsProperties limits;

	RoomController(RoomService rooms, RoomAccess access, LimitsProperties limits) {
		this.rooms = rooms;
		this.access = access;
		this.limits = limits;
	}

	@PostMapping("/rooms")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<CreatedRoom> create(@RequestBody(required = false) @Nullable CreateRoomRequest request) {
		String name = (request != null && request.name() != null) ? request.name().strip() : "";
		if (name.isEmpty()) {
			throw HubException.badRequest("Name is required");
		}
		if (name.length() > this.limits.maxNameLength()) {
			throw HubException.badRequest("Name is too long (max " + this.limits.maxNameLength() + " characters)");
		}
		return this.rooms.create(name, request.password());
	}

	@GetMapping("/rooms")
	Map<String, List<RoomSummary>> list() {
		return Map.of("rooms", this.rooms.rooms().stream().map(Room::toSummary).toList());
	}

	@DeleteMapping("/rooms/{code}")
	Mono<Map<String, Boolean>> close(@PathVariable String code, ServerWebExchange exchange) {
		return Mono.defer(() -> this.rooms.close(this.access.requireHost(code, exchange), "closed by host"))
			.thenReturn(Map.of("success", true));
	}

	@DeleteMapping("/rooms/{code}/participants/{participantId}")
	Mono<Map<String, Boolean>> kick(@PathVariable String code, @PathVariable String participantId,
			ServerWebExchange exchange) {
		return Mono.defer(() -> this.rooms.kick(this.access.requireHost(code, exchange), participantId))
			.thenReturn(Map.of("success", true));
	}

	record CreateRoomRequest(@Nullable String name, @Nullable String password) {
	}

}
