package dev.gambiarra.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.proxy.LoadBalancer.Lease;
import dev.gambiarra.proxy.ParticipantRouter.Selection;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomAccess;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.web.HubException;
import dev.gambiarra.web.Ids;

/**
 * Streaming chat completions from a room, in process: the same routing ({@code *}, {@code model:NAME}, id) and
 * upstream client as {@code /rooms/{code}/v1/chat/completions} (a tunnel participant through its tunnel), for
 * features of the hub itself (the agent).
 */
@Service
public class RoomCompletions {

	private final RoomService rooms;

	private final ParticipantRouter router;

	private final LoadBalancer balancer;

	private final UpstreamClient upstream;

	private final EventBus events;

	private final RoomAccess access;

	private final RelayTransport transport;

	RoomCompletions(RoomService rooms, ParticipantRouter router, LoadBalancer balancer, UpstreamClient upstream,
			EventBus events, RoomAccess access, RelayTransport transport) {
		this.access = access;
		this.transport = transport;
		this.rooms = rooms;
		this.router = router;
		this.balancer = balancer;
		this.upstream = upstream;
		this.events = events;
	}

	/**
	 * Completes when {@code password} opens the room: 404 {@link HubException} when unknown, 401 when wrong, 429
	 * when {@code client} (the caller's address) has guessed too often — the same guard as the HTTP routes.
	 */
	public Mono<Void> authorize(String code, @Nullable String password, String client) {
		return Mono.defer(() -> this.access.checkPassword(this.rooms.require(code), password, client));
	}

	/**
	 * Streams a chat completion from the participant {@code model} routes to; emits the upstream's SSE
	 * {@code data:} payloads (JSON chunks) up to, not including, {@code [DONE]}. Routing failures are
	 * {@link HubException}s; upstream error statuses are {@code WebClientResponseException}s.
	 */
	public Flux<String> stream(String code, String model, ObjectNode body) {
		return Flux.defer(() -> {
			Room room = this.rooms.require(code);
			Selection selection = this.router.select(room, model);
			return this.balancer.acquire(room, selection, new HashSet<>())
				.flatMapMany((lease) -> relay(room, lease, model, body)
					.doOnComplete(lease::succeeded)
					.doFinally((signal) -> lease.release()));
		});
	}

	/**
	 * A tunnel participant's answer, through the same transport as the relay: its SSE {@code data:} payloads as they
	 * arrive (lines cut at {@code \n} on bytes, so a character split between frames stays whole); an error status is
	 * a {@link WebClientResponseException}, as from the HTTP client.
	 */
	private Flux<String> throughTunnel(Room room, Participant participant, String requestId, ObjectNode body) {
		byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
		return Flux.create((sink) -> sink.onDispose(this.transport
			.relay(room, participant, "chat/completions", requestId, true, payload, (status, type, length, content) -> {
				if (status >= 400) {
					return content.aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap((bytes) -> Mono
						.error(WebClientResponseException.create(status, "Upstream answered " + status,
								HttpHeaders.EMPTY, bytes, StandardCharsets.UTF_8)));
				}
				SseLines lines = new SseLines();
				return content.doOnNext((buffer) -> lines.read(buffer, sink::next)).then();
			})
			.subscribe(null, sink::error, sink::complete)));
	}

	/** Cuts SSE bytes into lines and passes on the {@code data:} payloads. */
	private static final class SseLines {

		private final ByteArrayOutputStream line = new ByteArrayOutputStream();

		void read(ByteBuf buffer, Consumer<String> data) {
			for (int i = buffer.readerIndex(); i < buffer.writerIndex(); i++) {
				byte b = buffer.getByte(i);
				if (b != '\n') {
					this.line.write(b);
					continue;
				}
				String text = this.line.toString(StandardCharsets.UTF_8);
				this.line.reset();
				if (text.endsWith("\r")) {
					text = text.substring(0, text.length() - 1);
				}
				if (text.startsWith("data:")) {
					data.accept(text.substring(text.startsWith("data: ") ? 6 : 5));
				}
			}
		}

	}

	/** One streamed completion from the leased participant; counts against its load like any proxied request. */
	private Flux<String> relay(Room room, Lease lease, String model, ObjectNode body) {
		Participant participant = lease.participant();
		body.put("model", participant.model());
		body.put("stream", true);
		String requestId = Ids.requestId();
		this.events.publish(HubEvent.llmRequest(room.code(), participant.id(), model, requestId));
		Flux<String> data = participant.isTunnel() ? throughTunnel(room, participant, requestId, body)
				: this.upstream.post(participant, "chat/completions", requestId, true)
					.bodyValue(body)
					.retrieve()
					.bodyToFlux(String.class);
		return data.takeWhile((item) -> !item.strip().equals("[DONE]"))
			.doOnError((ex) -> {
				lease.failed();
				this.events.publish(
						HubEvent.llmError(room.code(), participant.id(), ProxyService.describe(ex), requestId));
			});
	}

}
