package dev.gambiarra.proxy;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;

import dev.gambiarra.config.LimitsProperties;
import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.proxy.LoadBalancer.Lease;
import dev.gambiarra.proxy.ParticipantRouter.Selection;
import dev.gambiarra.metrics.ProxyMetrics;
import dev.gambiarra.metrics.RelayTrace;
import dev.gambiarra.outbound.AddressGuard;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomAccess;
import dev.gambiarra.web.HubException;

/**
 * Forwards one OpenAI-compatible request to the participant its {@code model} field selects and the
 * {@link LoadBalancer} grants, and relays the answer chunk by chunk as the upstream produces it. A connect failure or
 * a 5xx before any byte reached the client fails over to another participant of a pooled selection. Nothing is
 * aggregated; a client that goes away cancels the upstream request; a failure before the first byte is a JSON error,
 * one after it an aborted response.
 */
@Service
class ProxyService {

	private static final Logger logger = LoggerFactory.getLogger(ProxyService.class);

	private final RoomAccess access;

	private final ParticipantRouter router;

	private final LoadBalancer balancer;

	private final RelayTransport transport;

	private final EventBus events;

	private final JsonMapper json;

	private final int maxBodyBytes;

	private final int maxAttempts;

	private final ProxyMetrics metrics;

	private final BodyMemory bodyMemory;

	ProxyService(RoomAccess access, ParticipantRouter router, LoadBalancer balancer, RelayTransport transport,
			EventBus events, JsonMapper json, LimitsProperties limits, RoutingProperties routing,
			ProxyProperties proxy, ProxyMetrics metrics) {
		this.access = access;
		this.router = router;
		this.balancer = balancer;
		this.transport = transport;
		this.events = events;
		this.json = json;
		this.maxBodyBytes = (int) limits.maxBodySize().toBytes();
		this.maxAttempts = routing.maxAttempts();
		this.metrics = metrics;
		this.bodyMemory = new BodyMemory(proxy.bodyMemory().toBytes());
	}

	/**
	 * Proxies the exchange's request to {@code {endpoint}/v1/{operation}} of the chosen participant.
	 * @param operation {@code chat/completions}, {@code completions} or {@code embeddings}
	 */
	Mono<Void> forward(String code, String operation, RelayExchange exchange) {
		return this.access.enter(code, exchange.caller())
			.flatMap((room) -> Mono.usingWhen(readBody(exchange), (body) -> {
				ProxyRequest request = body.request();
				Selection selection = this.router.select(room, request.model());
				Call call = new Call(room, operation, request, exchange.requestId(), exchange);
				return attempt(call, selection, 1, new HashSet<>());
			}, (body) -> Mono.fromRunnable(body.reservation()::release)));
	}

	/**
	 * One try on one participant. A connect failure or a 5xx before any byte reached the client fails over to an
	 * untried participant of a pooled selection, up to {@code maxAttempts}; the lease of each try is released
	 * exactly once, however the try ends.
	 */
	private Mono<Void> attempt(Call call, Selection selection, int attempt, Set<String> tried) {
		return this.balancer.acquire(call.room(), selection, tried).flatMap((lease) -> {
			Participant participant = lease.participant();
			tried.add(participant.id());
			byte[] payload = call.request()
				.forParticipant(participant.model(), participant.config(), !call.operation().equals("embeddings"),
						this.json);
			this.events.publish(HubEvent.llmRequest(call.room().code(), participant.id(), call.request().model(),
					call.requestId()));
			BooleanSupplier mayFailOver = () -> selection.pooled() && attempt < this.maxAttempts
					&& this.balancer.hasAlternative(call.room(), selection, tried);
			return relay(call, lease, payload, mayFailOver).doOnError((ex) -> lease.release())
				.doFinally((signal) -> lease.release());
		}).onErrorResume(Failover.class, (failover) -> {
			logger.info("{} failing over to another participant of room {} (attempt {} of {})", call.requestId(),
					call.room().code(), attempt + 1, this.maxAttempts);
			return attempt(call, selection, attempt + 1, tried)
				.onErrorMap((ex) -> ex instanceof HubException hub && hub.status() == HttpStatus.NOT_FOUND,
						(ex) -> failover.failure);
		});
	}

	/**
	 * The whole body, bounded by {@code max-body-size}, parsed, and counted against the relay's body memory until
	 * the request ends.
	 */
	private Mono<HeldBody> readBody(RelayExchange exchange) {
		return exchange.body()
			.collect(() -> new BodyBytes(this.maxBodyBytes, exchange.contentLength()), BodyBytes::append)
			.map((body) -> {
				byte[] bytes = body.bytes();
				BodyMemory.Reservation reservation = this.bodyMemory.reserve(2L * bytes.length);
				try {
					return new HeldBody(ProxyRequest.parse(bytes, this.json), reservation);
				}
				catch (RuntimeException ex) {
					reservation.release();
					throw ex;
				}
			});
	}

	/** One try, traced: {@code trace} sees the upstream status and every buffer on its way to the client. */
	private Mono<Void> relay(Call call, Lease lease, byte[] payload, BooleanSupplier mayFailOver) {
		return Mono.defer(() -> {
			RelayTrace trace = this.metrics.begin(call.room(), lease.participant(), call.operation(), call.stream(),
					call.requestId());
			return relay(call, lease, payload, mayFailOver, trace).doOnSuccess((done) -> trace.complete())
				.doOnError((ex) -> trace.failed(failureStatus(ex), describe(ex)))
				.doOnCancel(trace::cancelled);
		});
	}

	private static int failureStatus(Throwable ex) {
		if (ex instanceof Failover failover) {
			return failover.failure.status().value();
		}
		return (ex instanceof HubException hub) ? hub.status().value() : 0;
	}

	private Mono<Void> relay(Call call, Lease lease, byte[] payload, BooleanSupplier mayFailOver, RelayTrace trace) {
		Room room = call.room();
		Participant participant = lease.participant();
		String requestId = call.requestId();
		boolean stream = call.stream();
		RelayExchange response = call.exchange();
		return this.transport.relay(room, participant, call.operation(), requestId, stream, payload,
				(status, type, length, content) -> {
				long declared = RelayExchange.length(length);
				trace.response(status, declared);
				if (status >= 500) {
					lease.failed();
					String reason = "Upstream answered " + status;
					this.events.publish(HubEvent.llmError(room.code(), participant.id(), reason, requestId));
					if (mayFailOver.getAsBoolean()) {
						// Nothing reached the client yet: drain and drop this answer, let another participant try.
						return content.then(Mono.error(new Failover(new HubException(HttpStatus.BAD_GATEWAY,
								"Failed to proxy request: " + reason, "upstream_error"))));
					}
				}
				else {
					lease.succeeded();
				}
				if (status >= 400 && !UpstreamErrorBody.declaresJson(type)) {
					return relayErrorBody(call, participant, status, content);
				}
				response.status(status);
				boolean events = stream && status >= 200 && status < 300;
				if (events) {
					response.header(HttpHeaders.CONTENT_TYPE, MediaType.TEXT_EVENT_STREAM_VALUE);
					response.header(HttpHeaders.CACHE_CONTROL, "no-cache");
					response.header("X-Accel-Buffering", "no");
				}
				else {
					response.header(HttpHeaders.CONTENT_TYPE, (type != null) ? type : MediaType.APPLICATION_JSON_VALUE);
					// The body is relayed byte for byte, so the participant's length holds: the client gets a plain
					// body instead of chunk frames (and a short upstream body ends in a closed connection, as it
					// would have from the participant).
					if (length != null) {
						response.header(HttpHeaders.CONTENT_LENGTH, length);
					}
				}
				// Each buffer as the connection read it: retained here, released by the server once written.
				Flux<ByteBuf> body = content.retain()
					.doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease)
					.doOnNext(trace::chunk)
					.doOnComplete(trace::bodyComplete)
					.doOnError((ex) -> {
						lease.failed();
						if (response.isCommitted()) {
							midStreamFailure(room, participant, requestId, ex);
						}
					});
				// With the participant's length on the answer, a body read at once leaves with the headers.
				return response.send(body, (events || length == null) ? -1 : declared);
			})
			.then()
			.onErrorMap((ex) -> !response.isCommitted() && !(ex instanceof HubException) && !(ex instanceof Failover),
					(ex) -> {
						lease.failed();
						HubException failure = beforeFirstByte(room, participant, requestId, ex);
						return (isConnectFailure(ex) && mayFailOver.getAsBoolean()) ? new Failover(failure) : failure;
					});
	}

	/**
	 * An upstream error answer without a JSON content type: passed through if it is JSON all the same, else the
	 * hub's 502 in the OpenAI envelope (OpenAI clients cannot parse a plain-text or HTML error).
	 */
	private Mono<Void> relayErrorBody(Call call, Participant participant, int status, ByteBufFlux content) {
		return UpstreamErrorBody.head(content).flatMap((head) -> {
			if (UpstreamErrorBody.isJson(head, this.json)) {
				RelayExchange response = call.exchange();
				response.status(status);
				response.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
				return response.send(head);
			}
			HubException failure = UpstreamErrorBody.unparseable(status, head);
			if (status < 500) {
				// A 5xx was announced already, before failover was considered.
				this.events.publish(HubEvent.llmError(call.room().code(), participant.id(), failure.getMessage(),
						call.requestId()));
			}
			return Mono.error(failure);
		});
	}

	private void midStreamFailure(Room room, Participant participant, String requestId, Throwable ex) {
		String reason = describe(ex);
		logger.warn("{} upstream {} of room {} failed mid-response: {}", requestId, participant.id(), room.code(),
				reason);
		this.events.publish(HubEvent.llmError(room.code(), participant.id(), reason, requestId));
	}

	private HubException beforeFirstByte(Room room, Participant participant, String requestId, Throwable ex) {
		String reason = describe(ex);
		logger.warn("{} upstream {} of room {} failed: {}", requestId, participant.id(), room.code(), reason);
		this.events.publish(HubEvent.llmError(room.code(), participant.id(), reason, requestId));
		if (isTimeout(ex)) {
			return new HubException(HttpStatus.GATEWAY_TIMEOUT, "Upstream timed out: " + reason, "upstream_timeout");
		}
		return new HubException(HttpStatus.BAD_GATEWAY, "Failed to proxy request: " + reason, "upstream_unreachable");
	}

	/** The connection was never established, so the participant cannot have seen the request. */
	static boolean isConnectFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
				return true;
			}
		}
		return false;
	}

	/** A read timeout or a timeout before the answer, anywhere in the cause chain. */
	static boolean isTimeout(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ReadTimeoutException || cause instanceof TimeoutException) {
				return true;
			}
		}
		return false;
	}

	/** A short, secret-free reason: the innermost cause's kind and message. */
	static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (root instanceof ReadTimeoutException) {
			return "no data from participant within the timeout";
		}
		if (root instanceof AddressGuard.RefusedAddressException) {
			return "participant address not allowed on this hub";
		}
		if (root instanceof ConnectTimeoutException) {
			return "connection timed out";
		}
		if (root instanceof ConnectException || root instanceof UnknownHostException) {
			return (root instanceof UnknownHostException) ? "unknown host " + root.getMessage() : "connection refused";
		}
		String message = root.getMessage();
		return (message != null && !message.isBlank()) ? message : root.getClass().getSimpleName();
	}

	/** A parsed request body and the body memory it holds until the request ends. */
	private record HeldBody(ProxyRequest request, BodyMemory.Reservation reservation) {
	}

	/** One proxied request, as read from the client. */
	private record Call(Room room, String operation, ProxyRequest request, String requestId,
			RelayExchange exchange) {

		boolean stream() {
			return this.request.stream();
		}

	}

	/** A failure before the first byte that another participant may make up for. */
	private static final class Failover extends RuntimeException {

		private final HubException failure;

		Failover(HubException failure) {
			super(failure.getMessage(), null, false, false);
			this.failure = failure;
		}

	}

	/**
	 * A request body read into one array, at most {@code max} bytes: the array parsing and the copy for the
	 * participant work on (sized by the declared length when there is one).
	 */
	private static final class BodyBytes {

		private final long max;

		private byte[] bytes;

		private int size;

		BodyBytes(long max, long declared) {
			this.max = max;
			this.bytes = new byte[(declared > 0 && declared <= max) ? (int) declared : 1024];
		}

		void append(ByteBuf chunk) {
			int length = chunk.readableBytes();
			if (this.size + (long) length > this.max) {
				throw HubException.tooLarge();
			}
			if (this.size + length > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, (int) Math.min(this.max,
						Math.max(this.size + (long) length, 2L * this.bytes.length)));
			}
			chunk.getBytes(chunk.readerIndex(), this.bytes, this.size, length);
			this.size += length;
		}

		byte[] bytes() {
			return (this.size == this.bytes.length) ? this.bytes : Arrays.copyOf(this.bytes, this.size);
		}

	}

}
