package dev.gambiarra.events;

import java.util.Map;

import reactor.core.publisher.Flux;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.gambiarra.web.HubException;
import dev.gambiarra.web.Ids;

/**
 * Server-Sent Events: {@code GET /rooms/{code}/events} (one room) and {@code GET /events} (the whole hub). Each
 * stream opens with {@code connected}, carries a heartbeat comment, and ends when the hub shuts down or, for a room
 * stream, when the room closes.
 */
@RestController
class EventsController {

	private static final HubEvent HEARTBEAT = new HubEvent(null, "heartbeat", "");

	private final EventBus bus;

	private final EventsProperties properties;

	private final EventAccess access;

	EventsController(EventBus bus, EventsProperties properties, EventAccess access) {
		this.bus = bus;
		this.properties = properties;
		this.access = access;
	}

	@GetMapping(path = "/rooms/{code}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Object>> room(@PathVariable String code,
			ServerWebExchange exchange) {
		return this.access.checkRoom(code, exchange)
			.thenMany(Flux.defer(() -> stream(this.bus.room(code), true)));
	}

	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Object>> hub(ServerWebExchange exchange) {
		return this.access.checkHub(exchange).thenMany(Flux.defer(() -> stream(this.bus.all(), false)));
	}

	private Flux<ServerSentEvent<Object>> stream(Flux<HubEvent> events, boolean endWithRoom) {
		if (!this.bus.openStream(this.properties.maxSubscribers())) {
			return Flux.error(new HubException(HttpStatus.SERVICE_UNAVAILABLE, "Too many event subscribers",
					"too_many_subscribers"));
		}
		ServerSentEvent<Object> connected = ServerSentEvent.<Object>builder(Map.of("clientId", Ids.uuid()))
			.event("connected")
			.build();
		Flux<HubEvent> heartbeats = Flux.interval(this.properties.heartbeat()).map((tick) -> HEARTBEAT);
		Flux<HubEvent> merged = Flux.merge(events, heartbeats)
			.takeUntil((event) -> endWithRoom && closesRoom(event))
			.takeUntilOther(this.bus.closing());
		return Flux.just(connected)
			.concatWith(merged.map(EventsController::toSse))
			.doFinally((signal) -> this.bus.closeStream());
	}

	private static ServerSentEvent<Object> toSse(HubEvent event) {
		if (event == HEARTBEAT) {
			return ServerSentEvent.<Object>builder().comment("heartbeat").build();
		}
		return ServerSentEvent.<Object>builder(event.data()).event(event.type()).build();
	}

	private static boolean closesRoom(HubEvent event) {
		return "room:closed".equals(event.type());
	}

}
