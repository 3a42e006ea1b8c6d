package dev.gambiarra.tunnel;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;

import org.springframework.web.util.UriUtils;

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
	 * by every successful open. A hub that refuses the tunnel (401, 404, 409) ends it: a new join is needed.
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
				.filter((ex) -> !(ex instanceof WebSocketClientHandshakeException handshake
						&& handshake.response().status().code() < 500))
				.doBeforeRetry((signal) -> log.accept("Tunnel dropped (" + signal.failure().getMessage()
						+ "), reconnecting")))
			.subscribe((ignored) -> {
			}, (ex) -> {
				log.accept("Tunnel refused by the hub: " + ex.getMessage());
				refused.run();
			});
	}

	/** One tunnel: emits once when it is open, completes when it closes. */
	public Flux<Boolean> connect() {
		ConnectionProvider pool = ConnectionProvider.builder("gambiarra-tunnel-local").maxConnections(512)
			.pendingAcquireMaxCount(-1).build();
		HttpClient local = HttpClient.create(pool)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis());
		return HttpClient.create(ConnectionProvider.newConnection())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
			.headers((headers) -> headers.set("Authorization", "Bearer " + this.token))
			.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(this.maxFrameSize).build())
			.uri(tunnelUri())
			.handle((in, out) -> {
				Session session = new Session(out.alloc(), local);
				Mono<Void> output = out.sendObject(session.outbound()).then();
				Mono<Void> input = in.aggregateFrames(this.maxFrameSize)
					.receiveFrames()
					.doOnNext(session::receive)
					.then()
					.doFinally((signal) -> session.closed());
				return Flux.just(true).concatWith(Mono.when(input, output).then(Mono.empty()));
			})
			.doFinally((signal) -> pool.disposeLater().subscribe());
	}

	/** One open tunnel: its outgoing frames and the streams the hub opened on it. */
	private final class Session {

		private final ByteBufAllocator allocator;

		private final HttpClient local;

		private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();

		private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();

		private boolean closed;

		Session(ByteBufAllocator allocator, HttpClient local) {
			this.allocator = allocator;
			this.local = local;
		}

		Flux<WebSocketFrame> outbound() {
			return this.outbound.asFlux().doOnDiscard(WebSocketFrame.class, WebSocketFrame::release);
		}

		void send(ByteBuf frame) {
			synchronized (this) {
				if (this.closed || this.outbound.tryEmitNext(new BinaryWebSocketFrame(frame)).isFailure()) {
					frame.release();
				}
			}
		}

		void closed() {
			synchronized (this) {
				this.closed = true;
				this.outbound.tryEmitComplete();
			}
			this.streams.values().forEach(Stream::cancel);
			this.streams.clear();
		}

		void receive(WebSocketFrame frame) {
			if (!(frame instanceof BinaryWebSocketFrame)) {
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
					stream.cancel();
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

	/** One request: its body as the hub sends it, then the local exchange and its answer within the credit. */
	private final class Stream {

		private final Session session;

		private final int id;

		private final String operation;

		private final String requestId;

		private final boolean stream;

		private final CompositeByteBuf body;

		private long available = TunnelClient.this.window;

		private @Nullable MonoSink<Void> waiter;

		private int waiting;

		private volatile @Nullable Disposable exchange;

		private volatile boolean cancelled;

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
			this.exchange = this.session.local
				.headers((headers) -> {
					headers.set("Content-Type", "application/json");
					headers.set("Accept", this.stream ? "text/event-stream, application/json" : "application/json");
					headers.set("X-Request-Id", this.requestId);
					if (TunnelClient.this.apiKey != null) {
						headers.set("Authorization", "Bearer " + TunnelClient.this.apiKey);
					}
				})
				.post()
				.uri(TunnelClient.this.localEndpoint.replaceAll("/+$", "") + "/v1/" + this.operation)
				.send(Mono.just(payload))
				.response((response, content) -> {
					Map<String, Object> head = new LinkedHashMap<>();
					head.put("status", response.status().code());
					head.put("contentType", response.responseHeaders().get("Content-Type"));
					String length = response.responseHeaders().get("Content-Length");
					head.put("contentLength", (length != null) ? Long.valueOf(length) : null);
					byte[] bytes = JSON.writeValueAsBytes(head);
					this.session.send(TunnelFrames.frame(this.session.allocator, TunnelFrames.RESPONSE, this.id, bytes,
							0, bytes.length));
					return content.retain().concatMap(this::forward);
				})
				.then()
				.subscribe(null, (ex) -> {
					this.session.streams.remove(this.id);
					if (!this.cancelled) {
						this.session.send(TunnelFrames.frame(this.session.allocator, TunnelFrames.ERROR, this.id,
								reason(ex)));
					}
				}, () -> {
					this.session.streams.remove(this.id);
					if (!this.cancelled) {
						this.session.send(TunnelFrames.frame(this.session.allocator, TunnelFrames.END, this.id));
					}
				});
		}

		/** One local chunk, cut into DATA frames, each sent once the stream has credit for it. */
		private Mono<Void> forward(ByteBuf chunk) {
			int piece = (int) Math.min(TunnelFrames.CHUNK, TunnelClient.this.window);
			return Flux.range(0, (chunk.readableBytes() + piece - 1) / piece)
				.concatMap((index) -> {
					int offset = chunk.readerIndex() + index * piece;
					int length = Math.min(piece, chunk.writerIndex() - offset);
					return acquire(length).then(Mono.fromRunnable(() -> this.session
						.send(TunnelFrames.data(this.session.allocator, this.id, chunk, offset, length))));
				})
				.then()
				.doFinally((signal) -> chunk.release());
		}

		private Mono<Void> acquire(int bytes) {
			return Mono.create((sink) -> {
				boolean now;
				synchronized (this) {
					now = this.available >= bytes;
					if (now) {
						this.available -= bytes;
					}
					else {
						this.waiter = sink;
						this.waiting = bytes;
					}
				}
				if (now) {
					sink.success();
				}
			});
		}

		void grant(int bytes) {
			MonoSink<Void> ready = null;
			synchronized (this) {
				this.available += bytes;
				if (this.waiter != null && this.available >= this.waiting) {
					this.available -= this.waiting;
					ready = this.waiter;
					this.waiter = null;
				}
			}
			if (ready != null) {
				ready.success();
			}
		}

		void cancel() {
			this.cancelled = true;
			Disposable running = this.exchange;
			if (running != null) {
				running.dispose();
			}
			else if (this.body.refCnt() > 0) {
				this.body.release();
			}
		}

		private String reason(Throwable ex) {
			String message = ex.getMessage();
			return "local server: " + ((message != null && !message.isBlank()) ? message : ex.getClass().getSimpleName());
		}

	}

}
