package dev.gambiarra.tunnel;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.SignalType;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;

import org.springframework.web.util.UriUtils;

import dev.gambiarra.outbound.ReadCoalescer;

/**
 * The participant's end of a tunnel ({@code join --tunnel}): opens the WebSocket to the hub with the participant's
 * token, forwards every request the hub sends to the local server and streams the answer back within each stream's
 * credit. {@link #run} keeps the tunnel up: a dropped tunnel is reopened with backoff, with the same token, so the
 * participant resumes without a new join. docs/tunnel-protocol.md is the contract.
 *
 * @param hub the hub's base URL ({@code http://host:port})
 * @param localEndpoint the local server's base URL, without {@code /v1}; it never leaves this process
 */
public record TunnelClient(URI hub, String roomCode, String participantId, String token, String localEndpoint,
		@Nullable String apiKey, int maxFrameSize, int window) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private static final String ACCEPT_STREAM = "text/event-stream, application/json";

	public TunnelClient(URI hub, String roomCode, String participantId, String token, String localEndpoint,
			@Nullable String apiKey) {
		this(hub, roomCode, participantId, token, localEndpoint, apiKey, 256 * 1024, TunnelFrames.DEFAULT_WINDOW);
	}

	/** The WebSocket URL of this participant's tunnel. */
	public URI tunnelUri() {
		String base = this.hub.toString().replaceFirst("^http", "ws").replaceAll("/+$", "");
		return URI.create(base + "/rooms/" + UriUtils.encodePathSegment(this.roomCode, StandardCharsets.UTF_8)
				+ "/participants/" + UriUtils.encodePathSegment(this.participantId, StandardCharsets.UTF_8)
				+ "/tunnel");
	}

	/**
	 * Keeps the tunnel open until disposed: each time it drops it is reopened after 0.5 s, doubling to 30 s, reset
	 * by every successful open. A hub that refuses the tunnel (401, 404, 409) or closes it because the participant
	 * is gone ({@link TunnelFrames#CLOSE_REMOVED}: it left, was kicked, or the room closed) ends it without another
	 * try: a new join is needed. A 429 (too many failed attempts from this address) is waited out like a drop.
	 * @param log one line per open, drop and refusal
	 */
	public Disposable run(Consumer<String> log) {
		return run(log, () -> {
		});
	}

	/** As {@link #run(Consumer)}; {@code refused} runs when the hub refuses the tunnel for good. */
	public Disposable run(Consumer<String> log, Runnable refused) {
		return connect()
			.doOnNext((opened) -> log.accept("Tunnel open to " + this.hub))
			.concatWith(Mono.error(() -> new IOException("tunnel closed")))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500))
				.maxBackoff(Duration.ofSeconds(30))
				.transientErrors(true)
				.filter(TunnelClient::worthRetrying)
				.doBeforeRetry((signal) -> log.accept("Tunnel dropped (" + signal.failure().getMessage()
						+ "), reconnecting")))
			.subscribe((ignored) -> {
			}, (ex) -> {
				log.accept("Tunnel refused by the hub: " + ex.getMessage());
				refused.run();
			});
	}

	private static boolean worthRetrying(Throwable failure) {
		if (failure instanceof Removed) {
			return false;
		}
		if (failure instanceof WebSocketClientHandshakeException handshake) {
			int status = handshake.response().status().code();
			return status >= 500 || status == 429;
		}
		return true;
	}

	/**
	 * One tunnel: emits once when it is open, completes when it closes, fails with {@link Removed} when the hub
	 * closed it because the participant is gone (it left, was kicked, or its room closed).
	 */
	public Flux<Boolean> connect() {
		return HttpClient.create(ConnectionProvider.newConnection())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
			.headers((headers) -> headers.set("Authorization", "Bearer " + this.token))
			.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(this.maxFrameSize).build())
			.uri(tunnelUri())
			.handle((in, out) -> {
				Session session = new Session(in);
				Mono<Void> input = in.aggregateFrames(this.maxFrameSize)
					.receiveFrames()
					.doOnNext(session::receive)
					.then()
					.doFinally((signal) -> session.closed());
				Mono<Void> removed = in.receiveCloseStatus()
					.flatMap((status) -> (status.code() == TunnelFrames.CLOSE_REMOVED)
							? Mono.<Void>error(new Removed(status.reasonText())) : Mono.<Void>empty());
				return Flux.just(true).concatWith(Mono.when(input, removed).then(Mono.empty()));
			});
	}

	/** The hub closed the tunnel for good: the participant is no longer in the room. */
	public static final class Removed extends IOException {

		Removed(String reason) {
			super("the hub closed the tunnel: " + reason);
		}

	}

	/**
	 * One open tunnel: the streams the hub opened on it and the local server's connections. Everything runs on the
	 * socket's event loop: the local client is bound to it, so a local answer's reads, the frames they become and
	 * the socket's writes never cross threads. Frames are written as they are made and flushed once the loop is done
	 * with what it read (one flush for the {@code RESPONSE}, {@code DATA} and {@code END} of a short answer).
	 */
	private final class Session {

		private final Channel channel;

		private final EventLoop loop;

		private final ByteBufAllocator allocator;

		private final ConnectionProvider pool;

		private final HttpClient local;

		/** The local server's URL up to the operation: {@code {endpoint}/v1/}. */
		private final String base;

		/** Largest DATA payload: a frame, the window and the hub's frame limit all bound it. */
		private final int piece;

		private final Map<Integer, Stream> streams = new HashMap<>();

		private final Runnable flush = this::flushNow;

		private boolean flushPending;

		private boolean closed;

		Session(WebsocketInbound in) {
			Channel[] socket = new Channel[1];
			in.withConnection((connection) -> socket[0] = connection.channel());
			this.channel = socket[0];
			this.loop = this.channel.eventLoop();
			this.allocator = this.channel.alloc();
			this.piece = (int) Math.min(Math.min(TunnelFrames.CHUNK, TunnelClient.this.window),
					TunnelClient.this.maxFrameSize - TunnelFrames.HEADER);
			this.base = TunnelClient.this.localEndpoint.replaceAll("/+$", "") + "/v1/";
			this.pool = ConnectionProvider.builder("gambiarra-tunnel-local")
				.maxConnections(512)
				.pendingAcquireMaxCount(-1)
				.build();
			int coalesce = this.piece;
			this.local = HttpClient.create(this.pool)
				.runOn(this.loop)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
				.doOnResponse((response, connection) -> connection.addHandlerLast(ReadCoalescer.NAME,
						new ReadCoalescer(coalesce)));
		}

		/** Runs {@code task} on the socket's loop: now if this is it, else next. */
		void onLoop(Runnable task) {
			if (this.loop.inEventLoop()) {
				task.run();
			}
			else {
				this.loop.execute(task);
			}
		}

		/** Queues a frame on the socket (any thread); it leaves with the loop's next flush. */
		void send(ByteBuf frame) {
			if (!this.loop.inEventLoop()) {
				this.loop.execute(() -> send(frame));
				return;
			}
			if (this.closed) {
				frame.release();
				return;
			}
			this.channel.write(new BinaryWebSocketFrame(frame));
			if (!this.flushPending) {
				this.flushPending = true;
				this.loop.execute(this.flush);
			}
		}

		private void flushNow() {
			this.flushPending = false;
			this.channel.flush();
		}

		void closed() {
			if (!this.loop.inEventLoop()) {
				this.loop.execute(this::closed);
				return;
			}
			this.closed = true;
			for (Stream stream : new ArrayList<>(this.streams.values())) {
				stream.abort();
			}
			this.streams.clear();
			this.pool.disposeLater().subscribe();
		}

		/** One frame from the hub, on the socket's loop. */
		void receive(WebSocketFrame frame) {
			if (!(frame instanceof BinaryWebSocketFrame) || this.closed) {
				return;
			}
			ByteBuf content = frame.content();
			if (content.readableBytes() < TunnelFrames.HEADER) {
				return;
			}
			int start = content.readerIndex();
			byte type = content.getByte(start);
			int id = content.getInt(start + 1);
			int length = content.readableBytes() - TunnelFrames.HEADER;
			if (type == TunnelFrames.REQUEST) {
				JsonNode head = JSON.readTree(TunnelFrames.text(content));
				this.streams.put(id, new Stream(this, id, head.path("operation").asString(),
						head.path("requestId").asString(), head.path("stream").asBoolean()));
				return;
			}
			Stream stream = this.streams.get(id);
			if (stream == null) {
				return;
			}
			switch (type) {
				case TunnelFrames.DATA -> stream.body(content.retainedSlice(start + TunnelFrames.HEADER, length));
				case TunnelFrames.END -> stream.start();
				case TunnelFrames.CANCEL -> {
					this.streams.remove(id);
					stream.abort();
				}
				case TunnelFrames.CREDIT -> {
					if (length >= 4) {
						stream.grant(content.getInt(start + TunnelFrames.HEADER));
					}
				}
				default -> {
				}
			}
		}

	}

	/**
	 * One request: its body as the hub sends it, then the local exchange. Each buffer of the answer (what one read
	 * of the local connection brought, joined by {@link ReadCoalescer}) goes out as DATA frames as far as the
	 * stream's credit allows; the rest waits for {@code CREDIT}, and the next buffer is asked for only once this one
	 * is sent, so a stream without credit stops reading its local connection. Touched on the socket's loop only.
	 */
	private final class Stream extends BaseSubscriber<ByteBuf> {

		private final Session session;

		private final int id;

		private final String operation;

		private final String requestId;

		private final boolean stream;

		private final CompositeByteBuf body;

		private long available = TunnelClient.this.window;

		/** The part of the current answer buffer not sent yet (waiting for credit), or {@code null}. */
		private @Nullable ByteBuf pending;

		private @Nullable MonoSink<Void> answered;

		/** The local answer has no more buffers; it ends once {@link #pending} is out. */
		private boolean complete;

		private @Nullable Disposable exchange;

		private boolean cancelled;

		Stream(Session session, int id, String operation, String requestId, boolean stream) {
			this.session = session;
			this.id = id;
			this.operation = operation;
			this.requestId = requestId;
			this.stream = stream;
			this.body = session.allocator.compositeBuffer(Integer.MAX_VALUE);
		}

		void body(ByteBuf chunk) {
			this.body.addComponent(true, chunk);
		}

		void start() {
			ByteBuf payload = this.body;
			this.exchange = this.session.local.post()
				.uri(this.session.base + this.operation)
				.send((request, outbound) -> {
					request.header("Content-Type", "application/json");
					request.header("Accept", this.stream ? ACCEPT_STREAM : "application/json");
					request.header("X-Request-Id", this.requestId);
					if (TunnelClient.this.apiKey != null) {
						request.header("Authorization", "Bearer " + TunnelClient.this.apiKey);
					}
					request.header("Content-Length", String.valueOf(payload.readableBytes()));
					// A new reference per subscription: the client may send again on a fresh connection.
					return outbound.send(Mono.fromSupplier(payload::retainedDuplicate));
				})
				.response((response, content) -> {
					this.session.send(TunnelFrames.frame(this.session.allocator, TunnelFrames.RESPONSE, this.id,
							head(response)));
					return Mono.<Void>create((sink) -> {
						this.answered = sink;
						sink.onCancel(this);
						content.subscribe(this);
					});
				})
				.then()
				.subscribe(null, this::failed, this::ended);
		}

		private String head(HttpClientResponse response) {
			String type = response.responseHeaders().get("Content-Type");
			String length = response.responseHeaders().get("Content-Length");
			Map<String, Object> head = new LinkedHashMap<>();
			head.put("status", response.status().code());
			head.put("contentType", type);
			head.put("contentLength", (length != null) ? Long.valueOf(length) : null);
			return JSON.writeValueAsString(head);
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			request(1);
		}

		@Override
		protected void hookOnNext(ByteBuf buffer) {
			ByteBuf kept = buffer.retain();
			this.session.onLoop(() -> {
				if (this.cancelled) {
					kept.release();
					return;
				}
				this.pending = kept;
				drain();
			});
		}

		@Override
		protected void hookOnComplete() {
			// The last buffer may still wait for credit: the answer is complete once it is out.
			this.session.onLoop(() -> {
				this.complete = true;
				if (this.pending == null) {
					succeed();
				}
			});
		}

		private void succeed() {
			MonoSink<Void> sink = this.answered;
			this.answered = null;
			if (sink != null) {
				sink.success();
			}
		}

		@Override
		protected void hookOnError(Throwable failure) {
			MonoSink<Void> sink = this.answered;
			if (sink != null && !this.cancelled) {
				this.session.onLoop(() -> sink.error(failure));
			}
		}

		@Override
		protected void hookFinally(SignalType type) {
			if (type != SignalType.ON_COMPLETE) {
				this.session.onLoop(this::releasePending);
			}
		}

		/** Sends what the credit allows of the pending buffer; asks for the next one once it is all out. */
		private void drain() {
			ByteBuf buffer = this.pending;
			if (buffer == null || this.cancelled) {
				return;
			}
			while (buffer.isReadable() && this.available > 0) {
				int length = (int) Math.min(Math.min(buffer.readableBytes(), this.session.piece), this.available);
				this.available -= length;
				this.session.send(TunnelFrames.data(this.session.allocator, this.id, buffer, buffer.readerIndex(),
						length));
				buffer.skipBytes(length);
			}
			if (!buffer.isReadable()) {
				this.pending = null;
				buffer.release();
				if (this.complete) {
					succeed();
				}
				else {
					request(1);
				}
			}
		}

		void grant(int bytes) {
			this.available += bytes;
			drain();
		}

		private void ended() {
			this.session.onLoop(() -> {
				this.session.streams.remove(this.id);
				releaseBody();
				if (!this.cancelled) {
					this.session.send(TunnelFrames.frame(this.session.allocator, TunnelFrames.END, this.id));
				}
			});
		}

		private void failed(Throwable failure) {
			this.session.onLoop(() -> {
				this.session.streams.remove(this.id);
				releaseBody();
				if (!this.cancelled) {
					this.session.send(TunnelFrames.frame(this.session.allocator, TunnelFrames.ERROR, this.id,
							reason(failure)));
				}
			});
		}

		/** The hub cancelled the stream or the tunnel closed: the local request is aborted, nothing more is sent. */
		void abort() {
			this.cancelled = true;
			Disposable running = this.exchange;
			if (running != null) {
				running.dispose();
			}
			dispose();
			releasePending();
			releaseBody();
		}

		private void releaseBody() {
			if (this.body.refCnt() > 0) {
				this.body.release();
			}
		}

		private void releasePending() {
			ByteBuf buffer = this.pending;
			if (buffer != null) {
				this.pending = null;
				buffer.release();
			}
		}

		private String reason(Throwable ex) {
			String message = ex.getMessage();
			return "local server: " + ((message != null && !message.isBlank()) ? message : ex.getClass().getSimpleName());
		}

	}

}
