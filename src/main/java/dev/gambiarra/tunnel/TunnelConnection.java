package dev.gambiarra.tunnel;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;

/**
 * The hub's end of one tunnel: its outgoing frames (one serialised queue for every stream), the streams it opened,
 * and the dispatch of each incoming frame to its stream. Incoming frames arrive on the socket's event loop, one at a
 * time; outgoing ones may be queued from any thread.
 */
final class TunnelConnection {

	private final NettyDataBufferFactory buffers;

	private final ByteBufAllocator allocator;

	private final JsonMapper json;

	private final int window;

	private final Sinks.Many<WebSocketMessage> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private final Map<Integer, HubStream> streams = new ConcurrentHashMap<>();

	private int lastId;

	private volatile boolean closed;

	private volatile CloseStatus closeStatus = CloseStatus.NORMAL;

	private volatile long lastHeard = System.nanoTime();

	TunnelConnection(NettyDataBufferFactory buffers, JsonMapper json, int window) {
		this.buffers = buffers;
		this.allocator = buffers.getByteBufAllocator();
		this.json = json;
		this.window = window;
	}

	/** The frames to write, in the order they were queued. */
	Flux<WebSocketMessage> outbound() {
		return this.outbound.asFlux()
			.doOnDiscard(WebSocketMessage.class, (message) -> DataBufferUtils.release(message.getPayload()));
	}

	/** How long the participant has said nothing on this socket (no pong, no frame). */
	long silentNanos() {
		return System.nanoTime() - this.lastHeard;
	}

	CloseStatus closeStatus() {
		return this.closeStatus;
	}

	boolean isClosed() {
		return this.closed;
	}

	int openStreams() {
		return this.streams.size();
	}

	/** Opens a stream: {@code REQUEST}, the body in {@code DATA} frames, {@code END}. */
	HubStream open(String operation, String requestId, boolean stream, byte[] payload) {
		Map<String, Object> head = new LinkedHashMap<>();
		head.put("operation", operation);
		head.put("requestId", requestId);
		head.put("stream", stream);
		byte[] headBytes = this.json.writeValueAsBytes(head);
		HubStream opened;
		synchronized (this) {
			int id = ++this.lastId;
			opened = new HubStream(id);
			this.streams.put(id, opened);
			if (!this.closed) {
				send(TunnelFrames.frame(this.allocator, TunnelFrames.REQUEST, id, headBytes, 0, headBytes.length));
				for (int offset = 0; offset < payload.length; offset += TunnelFrames.CHUNK) {
					send(TunnelFrames.frame(this.allocator, TunnelFrames.DATA, id, payload, offset,
							Math.min(TunnelFrames.CHUNK, payload.length - offset)));
				}
				send(TunnelFrames.frame(this.allocator, TunnelFrames.END, id));
				return opened;
			}
		}
		// Outside the connection's lock: a stream takes its own lock and then, to send, the connection's, never the
		// other way round.
		opened.fail(new IOException("participant's tunnel closed"));
		return opened;
	}

	void ping() {
		synchronized (this) {
			if (!this.closed) {
				emit(new WebSocketMessage(WebSocketMessage.Type.PING, this.buffers.allocateBuffer(0)));
			}
		}
	}

	private void send(ByteBuf frame) {
		synchronized (this) {
			if (this.closed) {
				frame.release();
				return;
			}
			emit(new WebSocketMessage(WebSocketMessage.Type.BINARY, this.buffers.wrap(frame)));
		}
	}

	private void emit(WebSocketMessage message) {
		if (this.outbound.tryEmitNext(message).isFailure()) {
			DataBufferUtils.release(message.getPayload());
		}
	}

	/**
	 * One incoming message. A pong runs {@code alive}; a frame for a stream this socket does not hold is dropped;
	 * text, a truncated frame or an unknown type closes the tunnel.
	 */
	void receive(WebSocketMessage message, Runnable alive) {
		this.lastHeard = System.nanoTime();
		switch (message.getType()) {
			case PONG -> alive.run();
			case PING -> {
			}
			case TEXT -> close(CloseStatus.NOT_ACCEPTABLE.withReason("binary frames only"));
			case BINARY -> frame(NettyDataBufferFactory.toByteBuf(message.getPayload()));
		}
	}

	private void frame(ByteBuf frame) {
		if (frame.readableBytes() < TunnelFrames.HEADER) {
			close(CloseStatus.PROTOCOL_ERROR.withReason("truncated frame"));
			return;
		}
		int start = frame.readerIndex();
		byte type = frame.getByte(start);
		int id = frame.getInt(start + 1);
		if (type < TunnelFrames.REQUEST || type > TunnelFrames.CREDIT) {
			close(CloseStatus.PROTOCOL_ERROR.withReason("unknown frame type " + type));
			return;
		}
		HubStream stream = this.streams.get(id);
		if (stream == null) {
			return;
		}
		int length = frame.readableBytes() - TunnelFrames.HEADER;
		switch (type) {
			case TunnelFrames.RESPONSE -> stream.response(frame, start + TunnelFrames.HEADER, length);
			case TunnelFrames.DATA -> stream.data(frame.retainedSlice(start + TunnelFrames.HEADER, length));
			case TunnelFrames.END -> stream.end();
			case TunnelFrames.ERROR -> stream.fail(new IOException(TunnelFrames.text(frame)));
			default -> {
				// REQUEST, CANCEL, CREDIT are the hub's to send: dropped.
			}
		}
	}

	/** The participant is gone (left, kicked, its room closed): the client must not come back with this token. */
	void removed(String reason) {
		close(new CloseStatus(TunnelFrames.CLOSE_REMOVED, reason));
	}

	/** Replaced by a newer tunnel of the same participant. */
	void replaced() {
		close(CloseStatus.NORMAL.withReason("replaced"));
	}

	/** Ends the socket with {@code status} once the queued frames are written. */
	void close(CloseStatus status) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closeStatus = status;
			this.closed = true;
			this.outbound.tryEmitComplete();
		}
		failStreams();
	}

	/** The socket is gone: every stream still open fails. */
	void terminated() {
		synchronized (this) {
			this.closed = true;
			this.outbound.tryEmitComplete();
		}
		failStreams();
	}

	private void failStreams() {
		for (HubStream stream : this.streams.values()) {
			stream.fail(new IOException("participant's tunnel closed"));
		}
	}

	/** The participant's status and content headers, from its {@code RESPONSE} frame. */
	record Head(int status, @Nullable String contentType, @Nullable Long contentLength) {
	}

	/** One request on the tunnel, as the hub sees it. */
	final class HubStream {

		private final int id;

		private final Sinks.One<Head> head = Sinks.one();

		private final Sinks.Many<ByteBuf> body = Sinks.many().unicast().onBackpressureBuffer();

		/** Answer bytes the participant may still send: the window, less what came, plus what was granted. */
		private final AtomicLong allowed = new AtomicLong(TunnelConnection.this.window);

		/** Bytes handed on but not yet granted back (touched by the body's subscriber only). */
		private int ungranted;

		private volatile boolean ended;

		/** The idle timer failed the body; frames that still come are dropped (guarded by this stream). */
		private boolean timedOut;

		/** Whether the proxy subscribed to the answer body (then it releases every buffer itself). */
		private volatile boolean contentSubscribed;

		/** When the last answer frame came, for the idle timer. */
		private volatile long lastFrame;

		private volatile @Nullable Disposable idleTimer;

		/** Set on the socket's loop when the RESPONSE came; DATA before it is dropped. */
		private boolean responded;

		HubStream(int id) {
			this.id = id;
		}

		Mono<Head> head() {
			return this.head.asMono();
		}

		/**
		 * The answer body: each buffer is released once the subscriber's {@code onNext} returns, and its bytes are
		 * granted back to the participant in batches of a quarter window. No answer frame for {@code idleTimeout}
		 * fails it with a read timeout (and {@link #finish} then cancels the stream), as the HTTP client's idle
		 * handler does for a direct participant: one timer per stream that re-arms itself, not one per frame.
		 */
		Flux<ByteBuf> content(Duration idleTimeout) {
			int batch = Math.max(1, TunnelConnection.this.window / 4);
			return this.body.asFlux()
				.doOnSubscribe((subscription) -> {
					this.contentSubscribed = true;
					watchIdle(idleTimeout.toNanos());
				})
				.transform(Operators.<ByteBuf, ByteBuf>lift((scannable, actual) -> new Lent(actual, batch)))
				.doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
		}

		private void watchIdle(long idleNanos) {
			this.lastFrame = System.nanoTime();
			this.idleTimer = Schedulers.parallel().schedule(() -> checkIdle(idleNanos), idleNanos, TimeUnit.NANOSECONDS);
		}

		private void checkIdle(long idleNanos) {
			long quiet = System.nanoTime() - this.lastFrame;
			synchronized (this) {
				if (this.ended || this.timedOut) {
					return;
				}
				if (quiet >= idleNanos) {
					this.timedOut = true;
					this.body.tryEmitError(ReadTimeoutException.INSTANCE);
					return;
				}
				this.idleTimer = Schedulers.parallel()
					.schedule(() -> checkIdle(idleNanos), idleNanos - quiet, TimeUnit.NANOSECONDS);
			}
		}

		private void granted(int size, int batch) {
			this.ungranted += size;
			if (this.ungranted >= batch && !this.ended) {
				int grant = this.ungranted;
				this.ungranted = 0;
				this.allowed.addAndGet(grant);
				send(TunnelFrames.credit(TunnelConnection.this.allocator, this.id, grant));
			}
		}

		/**
		 * Lends each buffer to the subscriber, as an HTTP client's content does: released once {@code onNext}
		 * returns (the subscriber retains what it keeps), then its bytes count towards the next credit.
		 */
		private final class Lent implements CoreSubscriber<ByteBuf> {

			private final CoreSubscriber<? super ByteBuf> actual;

			private final int batch;

			Lent(CoreSubscriber<? super ByteBuf> actual, int batch) {
				this.actual = actual;
				this.batch = batch;
			}

			@Override
			public Context currentContext() {
				return this.actual.currentContext();
			}

			@Override
			public void onSubscribe(Subscription subscription) {
				this.actual.onSubscribe(subscription);
			}

			@Override
			public void onNext(ByteBuf buffer) {
				int size = buffer.readableBytes();
				try {
					this.actual.onNext(buffer);
				}
				finally {
					buffer.release();
				}
				granted(size, this.batch);
			}

			@Override
			public void onError(Throwable failure) {
				this.actual.onError(failure);
			}

			@Override
			public void onComplete() {
				this.actual.onComplete();
			}

		}

		void response(ByteBuf frame, int offset, int length) {
			Head parsed;
			try {
				byte[] bytes = new byte[length];
				frame.getBytes(offset, bytes);
				parsed = TunnelConnection.this.json.readValue(bytes, Head.class);
			}
			catch (RuntimeException ex) {
				fail(new IOException("participant sent an unreadable RESPONSE frame"));
				return;
			}
			if (parsed.status() < 100 || parsed.status() > 599) {
				fail(new IOException("participant sent an invalid status " + parsed.status()));
				return;
			}
			this.responded = true;
			this.head.tryEmitValue(parsed);
		}

		void data(ByteBuf chunk) {
			if (this.ended || !this.responded) {
				chunk.release();
				return;
			}
			this.lastFrame = System.nanoTime();
			if (this.allowed.addAndGet(-chunk.readableBytes()) < 0) {
				chunk.release();
				send(TunnelFrames.frame(TunnelConnection.this.allocator, TunnelFrames.CANCEL, this.id));
				fail(new IOException("participant overran its stream window"));
				return;
			}
			boolean delivered;
			synchronized (this) {
				delivered = !this.timedOut && this.body.tryEmitNext(chunk).isSuccess();
			}
			if (!delivered) {
				chunk.release();
			}
		}

		void end() {
			TunnelConnection.this.streams.remove(this.id);
			synchronized (this) {
				this.ended = true;
				this.body.tryEmitComplete();
			}
			if (!this.responded) {
				this.head.tryEmitError(new IOException("participant ended the stream without an answer"));
			}
		}

		void fail(Throwable failure) {
			TunnelConnection.this.streams.remove(this.id);
			this.head.tryEmitError(failure);
			synchronized (this) {
				this.ended = true;
				this.body.tryEmitError(failure);
			}
		}

		/**
		 * The proxy is done with this stream, however it ended: a participant that has not ended it is told to
		 * stop, and buffers nobody will read are released.
		 */
		void finish() {
			TunnelConnection.this.streams.remove(this.id);
			Disposable timer = this.idleTimer;
			if (timer != null) {
				timer.dispose();
			}
			boolean cancel;
			synchronized (this) {
				cancel = !this.ended;
				if (cancel) {
					this.ended = true;
					this.body.tryEmitError(new IOException("cancelled"));
				}
			}
			if (cancel) {
				send(TunnelFrames.frame(TunnelConnection.this.allocator, TunnelFrames.CANCEL, this.id));
			}
			if (!this.contentSubscribed) {
				// Nobody read the answer: release what it buffered. (Only then: a second subscriber of the unicast
				// sink would cost an exception with its stack trace on every request.)
				this.body.asFlux().subscribe(ReferenceCountUtil::safeRelease, (ex) -> {
				});
			}
		}

	}

}
