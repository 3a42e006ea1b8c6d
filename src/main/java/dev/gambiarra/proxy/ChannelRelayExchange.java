package dev.gambiarra.proxy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import dev.gambiarra.proxy.RelayFilter.Relay;

/**
 * The client's side of one relayed request on the connection's own pipeline ({@link RelayConnection}): the request
 * as the HTTP codec decoded it, its body as read (at most {@code max-body-size}), and the answer written straight to
 * the codec. State is the event loop's: a signal from another thread (a tunnel's answer) is handed to the loop, in
 * order.
 * <p>
 * Writes are flushed once per turn of the loop, not once per write: the status line, the headers and a body that
 * arrived in the same read leave in one socket write, as do a stream's last chunk and the end of its body.
 * Back-pressure is the connection's writability: the next buffer of the participant's answer is asked for only
 * while the client's connection takes more.
 */
final class ChannelRelayExchange extends RelayExchange {

	private final ChannelHandlerContext ctx;

	private final EventLoop loop;

	private final HttpRequest request;

	private final Relay relay;

	private final HttpHeaders headers = new DefaultHttpHeaders();

	private final boolean keepAlive;

	private int status = 200;

	private volatile boolean committed;

	private boolean closeAfter;

	private boolean flushScheduled;

	private @Nullable ByteBuf body;

	private @Nullable Disposable answer;

	private @Nullable BodyWriter writer;

	ChannelRelayExchange(ChannelHandlerContext ctx, HttpRequest request, Relay relay, String requestId) {
		super(requestId);
		this.ctx = ctx;
		this.loop = ctx.channel().eventLoop();
		this.request = request;
		this.relay = relay;
		this.keepAlive = HttpUtil.isKeepAlive(request);
	}

	Relay relay() {
		return this.relay;
	}

	@Override
	HttpHeaders requestHeaders() {
		return this.request.headers();
	}

	@Override
	@Nullable InetSocketAddress remoteAddress() {
		SocketAddress remote = this.ctx.channel().remoteAddress();
		return (remote instanceof InetSocketAddress address) ? address : null;
	}

	/** Bytes of the body read so far. */
	int bodySize() {
		ByteBuf body = this.body;
		return (body != null) ? body.readableBytes() : 0;
	}

	/** Keeps one part of the body (retained by the caller) until the exchange ends. */
	void addBody(ByteBuf part) {
		ByteBuf body = this.body;
		if (body == null) {
			this.body = part;
			return;
		}
		CompositeByteBuf parts;
		if (body instanceof CompositeByteBuf composite) {
			parts = composite;
		}
		else {
			parts = this.ctx.alloc().compositeBuffer(64);
			parts.addComponent(true, body);
			this.body = parts;
		}
		parts.addComponent(true, part);
	}

	@Override
	Flux<ByteBuf> body() {
		ByteBuf body = this.body;
		return (body != null) ? Flux.just(body) : Flux.empty();
	}

	/** Lets go of the body read (the relay keeps its own copy). */
	void releaseBody() {
		ByteBuf body = this.body;
		this.body = null;
		ReferenceCountUtil.safeRelease(body);
	}

	/** The connection closes once this answer is written, however the request asked. */
	void closeAfter() {
		this.closeAfter = true;
	}

	/** Whether the connection may serve another request after this one. */
	boolean keepsAlive() {
		return this.keepAlive && !this.closeAfter;
	}

	/** The relay of this request, running; cancelled if the client goes away. */
	void running(Disposable answer) {
		this.answer = answer;
	}

	/**
	 * The client went away: the relay (and with it the participant's call and the writing of its answer) is
	 * cancelled, the body let go.
	 */
	void abort() {
		Disposable answer = this.answer;
		if (answer != null) {
			answer.dispose();
		}
		releaseBody();
	}

	/** The client's connection can take more again. */
	void writabilityChanged() {
		BodyWriter writer = this.writer;
		if (writer != null) {
			writer.writable();
		}
	}

	@Override
	boolean isCommitted() {
		return this.committed;
	}

	@Override
	void status(int status) {
		this.status = status;
	}

	@Override
	void header(CharSequence name, CharSequence value) {
		this.headers.add(name, value);
	}

	@Override
	void removeHeader(CharSequence name) {
		this.headers.remove(name);
	}

	@Override
	Mono<Void> send(Flux<ByteBuf> body, long length) {
		return answer((sink) -> {
			commit();
			BodyWriter writer = new BodyWriter(sink, length);
			this.writer = writer;
			sink.onCancel(writer::cancel);
			body.subscribe(writer);
		});
	}

	@Override
	Mono<Void> send(byte[] body) {
		return answer((sink) -> {
			this.headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
			commit();
			ChannelFuture written = this.ctx.write(new DefaultLastHttpContent(Unpooled.wrappedBuffer(body)));
			flushSoon();
			written.addListener((ChannelFutureListener) (done) -> ended(sink, done));
		});
	}

	/** The answer {@code write} writes, on the loop, once: a second answer or a closed connection is an error. */
	private Mono<Void> answer(Consumer<MonoSink<Void>> write) {
		return Mono.create((sink) -> EventLoops.run(this.loop, () -> {
			if (this.committed || !this.ctx.channel().isActive()) {
				sink.error(new IllegalStateException("The answer was sent already or its connection closed"));
				return;
			}
			write.accept(sink);
		}));
	}

	private static void ended(MonoSink<Void> sink, ChannelFuture written) {
		if (written.isSuccess()) {
			sink.success();
		}
		else {
			sink.error(written.cause());
		}
	}

	/** The status line and headers, written; a body of unknown length goes in chunks (or to the connection's end). */
	private void commit() {
		this.committed = true;
		HttpVersion version = this.request.protocolVersion();
		if (!this.headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
			if (version.isKeepAliveDefault()) {
				this.headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
			}
			else {
				// An HTTP/1.0 client knows the body's end only by the connection's.
				this.closeAfter = true;
			}
		}
		if (!keepsAlive()) {
			this.headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
		else if (!version.isKeepAliveDefault()) {
			this.headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
		}
		this.ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(this.status),
				this.headers), this.ctx.voidPromise());
		flushSoon();
	}

	/** One flush at the end of this turn of the loop, for everything written in it. */
	private void flushSoon() {
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			this.loop.execute(() -> {
				this.flushScheduled = false;
				this.ctx.flush();
			});
		}
	}

	/**
	 * Writes the participant's answer, one buffer at a time while the connection is writable, then the end of the
	 * body. Signals from off the loop are run on it in the order they came.
	 */
	private final class BodyWriter implements CoreSubscriber<ByteBuf> {

		private final MonoSink<Void> sink;

		/** The answer's declared length, or -1. */
		private final long declared;

		private final AtomicInteger handedOver = new AtomicInteger();

		private long written;

		/**
		 * The write that carries the last byte of the declared length: once it is out, the client has the whole
		 * answer, and may close the connection before the (empty) end of the body is written.
		 */
		private @Nullable ChannelFuture lastByte;

		private @Nullable Subscription subscription;

		private boolean waiting;

		private volatile boolean done;

		BodyWriter(MonoSink<Void> sink, long declared) {
			this.sink = sink;
			this.declared = declared;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.subscription = subscription;
			subscription.request(1);
		}

		@Override
		public void onNext(ByteBuf buffer) {
			signal(() -> write(buffer), buffer);
		}

		@Override
		public void onError(Throwable error) {
			signal(() -> {
				if (!this.done) {
					this.done = true;
					this.sink.error(error);
				}
			}, null);
		}

		@Override
		public void onComplete() {
			signal(() -> {
				if (this.done) {
					return;
				}
				this.done = true;
				ChannelFuture end = ChannelRelayExchange.this.ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
				flushSoon();
				ChannelFuture lastByte = this.lastByte;
				(lastByte != null ? lastByte : end).addListener((ChannelFutureListener) (future) -> ended(this.sink,
						future));
			}, null);
		}

		/** On the loop now when nothing is waiting for it there, else after what is. */
		private void signal(Runnable task, @Nullable ByteBuf buffer) {
			if (ChannelRelayExchange.this.loop.inEventLoop() && this.handedOver.get() == 0) {
				task.run();
				return;
			}
			this.handedOver.incrementAndGet();
			try {
				ChannelRelayExchange.this.loop.execute(() -> {
					this.handedOver.decrementAndGet();
					task.run();
				});
			}
			catch (RuntimeException ex) {
				// The loop is shutting down: nothing will write this.
				this.handedOver.decrementAndGet();
				ReferenceCountUtil.safeRelease(buffer);
				this.sink.error(ex);
			}
		}

		private void write(ByteBuf buffer) {
			if (this.done) {
				buffer.release();
				return;
			}
			if (buffer.isReadable()) {
				ChannelHandlerContext ctx = ChannelRelayExchange.this.ctx;
				DefaultHttpContent content = new DefaultHttpContent(buffer);
				this.written += buffer.readableBytes();
				if (this.lastByte == null && this.declared >= 0 && this.written >= this.declared) {
					this.lastByte = ctx.write(content);
				}
				else {
					ctx.write(content, ctx.voidPromise());
				}
				flushSoon();
			}
			else {
				buffer.release();
			}
			more();
		}

		private void more() {
			Subscription subscription = this.subscription;
			if (subscription == null) {
				return;
			}
			if (ChannelRelayExchange.this.ctx.channel().isWritable()) {
				subscription.request(1);
			}
			else {
				this.waiting = true;
			}
		}

		/** On the loop: the connection drained below its high-water mark. */
		void writable() {
			if (this.waiting && !this.done && ChannelRelayExchange.this.ctx.channel().isWritable()) {
				this.waiting = false;
				more();
			}
		}

		void cancel() {
			this.done = true;
			Subscription subscription = this.subscription;
			if (subscription != null) {
				subscription.cancel();
			}
		}

	}

}
