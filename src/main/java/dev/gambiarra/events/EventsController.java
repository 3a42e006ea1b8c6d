package dev.gambiarra.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
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
 * <p>
 * Streams write encoded frames themselves instead of handing {@code ServerSentEvent}s to the codec: the codec would
 * serialise an event's data once per subscriber, on the publishing thread, while here every stream sends a view of
 * the one frame encoded for the event (see {@link PublishedEvent}). The bytes are the same.
 */
@RestController
class EventsController {

	/** What Spring's SSE writer announced before (it always adds the charset). */
	private static final MediaType EVENT_STREAM = new MediaType(MediaType.TEXT_EVENT_STREAM, StandardCharsets.UTF_8);

	private static final PublishedEvent HEARTBEAT = new PublishedEvent(new HubEvent(null, "heartbeat", ""));

	private final EventBus bus;

	private final EventsProperties properties;

	private final EventAccess access;

	private final SseFrames frames;

	EventsController(EventBus bus, EventsProperties properties, EventAccess access, JsonMapper json) {
		this.bus = bus;
		this.properties = properties;
		this.access = access;
		this.frames = new SseFrames(json);
	}

	@GetMapping(path = "/rooms/{code}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Mono<Void> room(@PathVariable String code, ServerWebExchange exchange) {
		return send(exchange, roomFrames(code, exchange));
	}

	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Mono<Void> hub(ServerWebExchange exchange) {
		return send(exchange, hubFrames(exchange));
	}

	/** The frames of a room stream, access checked first. Each frame is shared: read it through a duplicate. */
	Flux<ByteBuffer> roomFrames(String code, ServerWebExchange exchange) {
		return this.access.checkRoom(code, exchange)
			.thenMany(Flux.defer(() -> stream(this.bus.roomEvents(code), true)));
	}

	/** The frames of the hub stream, access checked first. */
	Flux<ByteBuffer> hubFrames(ServerWebExchange exchange) {
		return this.access.checkHub(exchange).thenMany(Flux.defer(() -> stream(this.bus.allEvents(), false)));
	}

	/**
	 * Writes and flushes frame by frame, as the SSE codec does. A refusal (access, too many subscribers) fails before
	 * the first frame, so nothing is committed yet and the error handler still answers with a JSON error.
	 */
	private static Mono<Void> send(ServerWebExchange exchange, Flux<ByteBuffer> frames) {
		ServerHttpResponse response = exchange.getResponse();
		// The error handler sets its own content type on a refusal.
		response.getHeaders().setContentType(EVENT_STREAM);
		DataBufferFactory buffers = response.bufferFactory();
		return response.writeAndFlushWith(frames.map((frame) -> Mono.just(buffers.wrap(frame.duplicate()))));
	}

	private Flux<ByteBuffer> stream(Flux<PublishedEvent> events, boolean endWithRoom) {
		if (!this.bus.openStream(this.properties.maxSubscribers())) {
			return Flux.error(new HubException(HttpStatus.SERVICE_UNAVAILABLE, "Too many event subscribers",
					"too_many_subscribers"));
		}
		ByteBuffer connected = this.frames.connected(Ids.uuid());
		Flux<PublishedEvent> heartbeats = Flux.interval(this.properties.heartbeat()).map((tick) -> HEARTBEAT);
		Flux<PublishedEvent> merged = Flux.merge(events, heartbeats)
			.takeUntil((published) -> endWithRoom && closesRoom(published.event()))
			.takeUntilOther(this.bus.closing());
		return Flux.just(connected)
			.concatWith(merged.map(this::frame))
			.doFinally((signal) -> this.bus.closeStream());
	}

	private ByteBuffer frame(PublishedEvent published) {
		return (published == HEARTBEAT) ? SseFrames.HEARTBEAT : published.frame(this.frames::event);
	}

	private static boolean closesRoom(HubEvent event) {
		return "room:closed".equals(event.type());
	}

}
