package dev.gambiarra.tunnel;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.web.Ids;

/**
 * The open tunnels of this hub, one per participant (a new one replaces the old), and the relay of one request over
 * a participant's tunnel. The proxy reaches a tunnel participant only through {@link #relay}; nothing here ever
 * opens a connection.
 */
@Component
public class Tunnels implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(Tunnels.class);

	/** Events after which a participant's tunnel has nobody to serve: closed at once, for good. */
	private static final Set<String> GONE = Set.of("participant:left", "participant:kicked", "room:closed");


	private final Map<String, TunnelConnection> open = new ConcurrentHashMap<>();

	/** The claim each open tunnel made in the shared store (one per tunnel, so an old tunnel cannot drop a new one's). */
	private final Map<TunnelConnection, String> claims = new ConcurrentHashMap<>();

	private final TunnelOwners owners;

	private final EventBus events;

	private final RoomService rooms;

	private volatile @Nullable Disposable watch;

	public Tunnels(TunnelOwners owners, EventBus events, RoomService rooms) {
		this.owners = owners;
		this.events = events;
		this.rooms = rooms;
	}

	/**
	 * Watches for participants that leave or are kicked and rooms that close (on any hub, with a shared store), and
	 * closes their tunnels at once with {@link TunnelFrames#CLOSE_REMOVED}, so the participant's {@code join}
	 * stops instead of reconnecting (and nothing waits for the next ping to find out).
	 */
	@Override
	public void start() {
		this.watch = this.events.all()
			.filter((event) -> event.room() != null && GONE.contains(event.type()))
			.retry()
			.subscribe(this::gone, (ex) -> logger.warn("Stopped watching for participants that left: {}", ex.toString()));
	}

	@Override
	public void stop() {
		Disposable current = this.watch;
		if (current != null) {
			current.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		Disposable current = this.watch;
		return current != null && !current.isDisposed();
	}

	private void gone(HubEvent event) {
		String code = event.room().toUpperCase(Locale.ROOT);
		if ("room:closed".equals(event.type())) {
			String prefix = code + '/';
			this.open.forEach((key, connection) -> {
				if (key.startsWith(prefix)) {
					connection.removed("room closed");
				}
			});
			return;
		}
		if (!(event.data() instanceof Map<?, ?> data) || !(data.get("participantId") instanceof String id)) {
			return;
		}
		TunnelConnection connection = this.open.get(key(code, id));
		// Unless it joined again meanwhile (same id, its token): then the open tunnel is the new registration's.
		boolean stillThere = this.rooms.find(code).map((room) -> room.participant(id) != null).orElse(false);
		if (connection != null && !stillThere) {
			connection.removed("participant:kicked".equals(event.type()) ? "participant kicked" : "participant left");
		}
	}

	/** What the proxy does with the participant's answer: its status, two headers and the body as it arrives. */
	@FunctionalInterface
	public interface Answer {

		/**
		 * @param content the answer's buffers, each valid while it is delivered (retain one to keep it), as an
		 * HTTP client's content is
		 */
		Publisher<Void> answer(int status, @Nullable String contentType, @Nullable String contentLength,
				ByteBufFlux content);

	}

	/** Whether the participant's tunnel is open on this hub now. */
	public boolean isConnected(String roomCode, String participantId) {
		TunnelConnection connection = this.open.get(key(roomCode, participantId));
		return connection != null && !connection.isClosed();
	}

	/**
	 * Sends one request over the participant's tunnel and hands its answer to {@code answer}. A tunnel that is not
	 * open fails as a refused connection (the participant cannot have seen the request, so the proxy may fail
	 * over); no {@code RESPONSE} within {@code firstByteTimeout} and a silence longer than {@code idleTimeout}
	 * between answer frames fail as timeouts. Cancelling, or any end before the participant's {@code END}, sends
	 * {@code CANCEL}.
	 */
	public Mono<Void> relay(String roomCode, String participantId, String operation, String requestId,
			boolean stream, byte[] payload, Duration firstByteTimeout, Duration idleTimeout, Answer answer) {
		return Mono.defer(() -> {
			TunnelConnection connection = this.open.get(key(roomCode, participantId));
			if (connection == null || connection.isClosed()) {
				return Mono.error(new ConnectException("participant's tunnel is not connected"));
			}
			TunnelConnection.HubStream opened = connection.open(operation, requestId, stream, payload);
			return opened.head()
				.timeout(firstByteTimeout,
						Mono.error(() -> new TimeoutException("no answer from participant within the timeout")))
				.flatMap((head) -> Flux.from(answer.answer(head.status(), head.contentType(),
						(head.contentLength() != null) ? String.valueOf(head.contentLength()) : null,
						ByteBufFlux.fromInbound(opened.content(idleTimeout))))
					.then())
				.doFinally((signal) -> opened.finish());
		});
	}

	/**
	 * Makes {@code connection} the participant's tunnel, closing the one it replaces, and records in the shared
	 * store that this hub holds it (not awaited: until the other hubs hear it, their requests fail as refused).
	 */
	void attach(String roomCode, String participantId, TunnelConnection connection) {
		String claim = Ids.token(16);
		this.claims.put(connection, claim);
		TunnelConnection previous = this.open.put(key(roomCode, participantId), connection);
		if (previous != null && previous != connection) {
			previous.replaced();
		}
		this.owners.claim(roomCode, participantId, claim)
			.subscribe(null, (ex) -> logger.warn("Tunnel of participant {} in room {} not recorded in the store: {}",
					participantId, roomCode, ex.toString()));
	}

	/**
	 * Forgets {@code connection}; true if it was still the participant's tunnel: not replaced meanwhile on this hub,
	 * nor claimed since by a newer tunnel on another hub (whose record it then leaves alone). A store that cannot
	 * answer counts as true.
	 */
	Mono<Boolean> detach(String roomCode, String participantId, TunnelConnection connection) {
		String claim = this.claims.remove(connection);
		if (!this.open.remove(key(roomCode, participantId), connection) || claim == null) {
			return Mono.just(false);
		}
		return this.owners.release(roomCode, participantId, claim).onErrorResume((ex) -> {
			logger.warn("Tunnel of participant {} in room {} could not be released in the store: {}", participantId,
					roomCode, ex.toString());
			return Mono.just(true);
		});
	}

	private static String key(String roomCode, String participantId) {
		return roomCode.toUpperCase(Locale.ROOT) + '/' + participantId;
	}

}
