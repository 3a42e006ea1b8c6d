package dev.gambiarra.proxy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.ThreadExecutorMap;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.netty.ByteBufFlux;
import reactor.netty.resources.LoopResources;

import dev.gambiarra.outbound.EndpointPolicy;
import dev.gambiarra.outbound.ReadCoalescer;

/**
 * The relay's own HTTP/1.1 client for a participant at a plain {@code http://} address written as an IP literal or
 * as {@code localhost} (a LAN participant, {@code join}'s default endpoint, the benchmark's upstream): Netty's codec on a connection of the calling event
 * loop, pooled per loop and per address, with the {@link dev.gambiarra.outbound.AddressGuard address guard}, the
 * three proxy timeouts, one buffer per read ({@link ReadCoalescer}) and back-pressure. Measured from outside,
 * Reactor Netty's pooled client cost a quarter of the latency ratio at c=1 and a tenth of the throughput at c=256
 * in a relay with nothing else (docs/performance.md); this one does per request what a relay needs and no more.
 * <p>
 * Everything else goes through {@link UpstreamClient}'s Reactor Netty client, which resolves host names and speaks
 * TLS: an {@code https} endpoint, another host name, a call made off an event loop, or a loop whose connections to that
 * address are all busy ({@code max-connections} split over the loops). Failures keep that client's kinds: a refused
 * or timed-out connect is a {@link java.net.ConnectException} or Netty's {@code ConnectTimeoutException} (nothing
 * was sent: failover may try another participant), a silence before the answer or between its chunks a
 * {@link ReadTimeoutException}, a connection closed early an {@link IOException}. A pooled connection the
 * participant closed just as it was reused is retried once on a new one, before any of the answer was read.
 */
final class DirectUpstream {

	/** At most this much of one read is joined before it is passed on. */
	private static final int COALESCE_MAX_BYTES = 64 * 1024;

	/** Answer bytes read but not yet taken by the relay above which reading pauses, and below which it resumes. */
	private static final int PAUSE_BYTES = 256 * 1024;

	private static final int RESUME_BYTES = 64 * 1024;

	private static final int MAX_TARGETS = 4096;

	private static final long CLOSE_WAIT_MILLIS = 1000;

	private final ProxyProperties properties;

	private final EndpointPolicy endpoints;

	private final int perLoopConnections;

	private final boolean available;

	private final Map<String, Optional<Target>> targets = new ConcurrentHashMap<>();

	private final Set<Channel> open = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	private final LongAdder calls = new LongAdder();

	private final FastThreadLocal<LoopPool> pools = new FastThreadLocal<>() {
		@Override
		protected LoopPool initialValue() {
			return new LoopPool();
		}
	};

	/** What {@code localhost} is here (its IPv4 loopback address), looked up once, off the event loops. */
	private final @Nullable InetAddress localhost;

	DirectUpstream(ProxyProperties properties, EndpointPolicy endpoints, int perLoopConnections) {
		this.properties = properties;
		this.endpoints = endpoints;
		this.perLoopConnections = perLoopConnections;
		this.localhost = localhost();
		// Reactor Netty's loops are epoll ones on Linux; elsewhere (NIO, kqueue) the Reactor Netty client serves all.
		this.available = Epoll.isAvailable() && LoopResources.DEFAULT_NATIVE;
	}

	/**
	 * The relay of {@code payload} to {@code {endpoint}/v1/{operation}} on this client, or {@code null} when the
	 * Reactor Netty client is to make it (see the class comment). Called on the thread that will make the call.
	 */
	@Nullable Mono<Void> relay(String endpoint, String operation, Consumer<HttpHeaders> headers, byte[] payload,
			RelayTransport.Answer answer) {
		if (!this.available) {
			return null;
		}
		EventExecutor executor = ThreadExecutorMap.currentExecutor();
		if (!(executor instanceof EventLoop loop) || !loop.inEventLoop()) {
			return null;
		}
		Target target = target(endpoint);
		if (target == null) {
			return null;
		}
		LoopPool pool = this.pools.get();
		if (!pool.canServe(target, this.perLoopConnections)) {
			return null;
		}
		String path = target.path() + "/v1/" + operation;
		HttpHeaders requestHeaders = new DefaultHttpHeaders();
		headers.accept(requestHeaders);
		requestHeaders.set(HttpHeaderNames.HOST, target.host()).set(HttpHeaderNames.CONTENT_LENGTH, payload.length);
		this.calls.increment();
		return Mono.create(
				(sink) -> new Exchange(loop, pool, target, path, requestHeaders, payload, answer, sink).start(false));
	}

	/**
	 * {@code localhost}'s IPv4 loopback address, as the hosts file gives it ({@code join}'s default endpoint is
	 * {@code http://localhost:11434}, and local servers listen on 127.0.0.1), or {@code null}: then such endpoints
	 * go to the Reactor Netty client, which resolves the name itself.
	 */
	private static @Nullable InetAddress localhost() {
		try {
			for (InetAddress address : InetAddress.getAllByName("localhost")) {
				if (address instanceof Inet4Address && address.isLoopbackAddress()) {
					return address;
				}
			}
		}
		catch (UnknownHostException ex) {
			// No hosts entry: the Reactor Netty client resolves it.
		}
		return null;
	}

	private @Nullable Target target(String endpoint) {
		Optional<Target> known = this.targets.get(endpoint);
		if (known == null) {
			if (this.targets.size() >= MAX_TARGETS) {
				this.targets.clear();
			}
			known = Optional.ofNullable(Target.parse(endpoint, this.localhost));
			this.targets.put(endpoint, known);
		}
		return known.orElse(null);
	}

	/** Relays this client took on (the rest went to the Reactor Netty client). */
	long calls() {
		return this.calls.sum();
	}

	/** Closes every connection this client holds, and any it is given back from now on; waits a moment for them. */
	void close() {
		this.closed = true;
		for (Channel channel : this.open) {
			channel.close().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
		}
	}

	/** Where an endpoint is: its address, its {@code Host} header and its base path (no trailing slash). */
	record Target(InetSocketAddress address, String host, String path) {

		/**
		 * The target of a plain {@code http} endpoint whose host is an IP literal, or {@code localhost} when
		 * {@code localhost} is known, else {@code null}.
		 */
		static @Nullable Target parse(String endpoint, @Nullable InetAddress localhost) {
			URI uri;
			try {
				uri = new URI(endpoint);
			}
			catch (Exception ex) {
				return null;
			}
			String host = uri.getHost();
			if (!"http".equalsIgnoreCase(uri.getScheme()) || host == null || uri.getRawAuthority() == null
					|| uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
				return null;
			}
			String literal = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1)
					: host;
			InetAddress address = ("localhost".equalsIgnoreCase(literal)) ? localhost : literal(literal);
			if (address == null) {
				return null;
			}
			String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
			while (path.endsWith("/")) {
				path = path.substring(0, path.length() - 1);
			}
			int port = (uri.getPort() >= 0) ? uri.getPort() : 80;
			return new Target(new InetSocketAddress(address, port), uri.getRawAuthority(), path);
		}

		/** The address an IP literal writes, without a lookup, or {@code null} for anything else. */
		private static @Nullable InetAddress literal(String host) {
			byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
			if (bytes == null) {
				return null;
			}
			try {
				return InetAddress.getByAddress(bytes);
			}
			catch (UnknownHostException ex) {
				return null;
			}
		}

	}

	/** One event loop's connections: idle ones by address (the most recent first), and how many are open. */
	private final class LoopPool {

		private final Map<InetSocketAddress, ArrayDeque<Link>> idle = new HashMap<>();

		private final Map<InetSocketAddress, int[]> opened = new HashMap<>();

		private @Nullable Bootstrap bootstrap;

		boolean canServe(Target target, int max) {
			ArrayDeque<Link> links = this.idle.get(target.address());
			if (links != null && !links.isEmpty()) {
				return true;
			}
			int[] count = this.opened.get(target.address());
			return count == null || count[0] < max;
		}

		/** An idle connection to {@code address} still open and not idle too long, or {@code null}. */
		@Nullable Link take(InetSocketAddress address) {
			ArrayDeque<Link> links = this.idle.get(address);
			if (links == null) {
				return null;
			}
			long now = System.nanoTime();
			long maxIdle = DirectUpstream.this.properties.maxIdleTime().toNanos();
			Link link;
			while ((link = links.pollFirst()) != null) {
				if (link.channel.isActive() && now - link.idleSince < maxIdle) {
					return link;
				}
				link.channel.close();
			}
			return null;
		}

		void giveBack(Link link) {
			if (DirectUpstream.this.closed) {
				link.channel.close();
				return;
			}
			link.idleSince = System.nanoTime();
			this.idle.computeIfAbsent(link.address, (key) -> new ArrayDeque<>()).addFirst(link);
		}

		void opened(InetSocketAddress address) {
			this.opened.computeIfAbsent(address, (key) -> new int[1])[0]++;
		}

		/** A connection to {@code address} counted as opening did not open, or has closed. */
		void notOpened(InetSocketAddress address) {
			int[] count = this.opened.get(address);
			if (count != null && --count[0] <= 0) {
				this.opened.remove(address);
			}
		}

		void closed(Link link) {
			notOpened(link.address);
			ArrayDeque<Link> links = this.idle.get(link.address);
			if (links != null) {
				links.remove(link);
				if (links.isEmpty()) {
					this.idle.remove(link.address);
				}
			}
		}

		Bootstrap bootstrap(EventLoop loop) {
			Bootstrap bootstrap = this.bootstrap;
			if (bootstrap == null) {
				ProxyProperties properties = DirectUpstream.this.properties;
				bootstrap = new Bootstrap().group(loop)
					.channel(EpollSocketChannel.class)
					.option(ChannelOption.TCP_NODELAY, true)
					.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
					.handler(new ChannelInitializer<SocketChannel>() {
						@Override
						protected void initChannel(SocketChannel channel) {
							channel.pipeline()
								.addLast(new HttpClientCodec(), new ReadCoalescer(COALESCE_MAX_BYTES),
										new ExchangeTimeouts(properties.firstByteTimeout().toNanos(),
												properties.idleTimeout().toNanos()),
										new Link(LoopPool.this, channel));
							DirectUpstream.this.endpoints.guard(channel);
						}
					});
				this.bootstrap = bootstrap;
			}
			return bootstrap;
		}

	}

	/**
	 * One connection to a participant and the exchange it carries now, if any. Everything runs on its event loop.
	 */
	private final class Link extends ChannelInboundHandlerAdapter {

		private final LoopPool pool;

		private final Channel channel;

		private @Nullable InetSocketAddress address;

		private @Nullable Exchange exchange;

		private long idleSince;

		Link(LoopPool pool, Channel channel) {
			this.pool = pool;
			this.channel = channel;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			Exchange exchange = this.exchange;
			if (exchange == null) {
				// Nothing was asked on this connection: what the participant sends is not an answer to anything.
				ReferenceCountUtil.release(msg);
				ctx.close();
				return;
			}
			exchange.read(msg);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			DirectUpstream.this.open.remove(this.channel);
			if (this.address != null) {
				this.pool.closed(this);
			}
			Exchange exchange = this.exchange;
			if (exchange != null) {
				this.exchange = null;
				exchange.lost(null);
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			Exchange exchange = this.exchange;
			this.exchange = null;
			if (exchange != null) {
				exchange.lost(cause);
			}
			ctx.close();
		}

	}

	/** One relayed request on a connection of this loop, and its answer. */
	private final class Exchange implements CoreSubscriber<Void> {

		private final EventLoop loop;

		private final LoopPool pool;

		private final Target target;

		private final String path;

		private final HttpHeaders headers;

		private final byte[] payload;

		private final RelayTransport.Answer answer;

		private final MonoSink<Void> sink;

		private @Nullable Link link;

		private boolean reused;

		private @Nullable Body body;

		private @Nullable Subscription answered;

		/** The answer's end was read: the connection is free again. */
		private boolean ended;

		private boolean keepAlive;

		private boolean finished;

		Exchange(EventLoop loop, LoopPool pool, Target target, String path, HttpHeaders headers, byte[] payload,
				RelayTransport.Answer answer, MonoSink<Void> sink) {
			this.loop = loop;
			this.pool = pool;
			this.target = target;
			this.path = path;
			this.headers = headers;
			this.payload = payload;
			this.answer = answer;
			this.sink = sink;
			sink.onCancel(() -> onLoop(this::cancel));
		}

		/** On a pooled connection if one is idle (unless {@code fresh}), else on a new one. */
		void start(boolean fresh) {
			Link link = fresh ? null : this.pool.take(this.target.address());
			if (link != null) {
				send(link, true);
				return;
			}
			this.pool.opened(this.target.address());
			this.pool.bootstrap(this.loop).connect(this.target.address()).addListener((ChannelFutureListener) (f) -> {
				Link opened = f.isSuccess() ? f.channel().pipeline().get(Link.class) : null;
				if (opened != null) {
					DirectUpstream.this.open.add(f.channel());
					opened.address = this.target.address();
					if (this.finished) {
						this.pool.giveBack(opened);
					}
					else {
						send(opened, false);
					}
				}
				else {
					this.pool.notOpened(this.target.address());
					f.channel().close();
					fail((f.cause() != null) ? f.cause() : new IOException("Connection closed while opening"));
				}
			});
		}

		private void send(Link link, boolean reused) {
			this.link = link;
			this.reused = reused;
			link.exchange = this;
			DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
					this.path, Unpooled.wrappedBuffer(this.payload), this.headers, EmptyHttpHeaders.INSTANCE);
			link.channel.writeAndFlush(request).addListener((ChannelFutureListener) (f) -> {
				if (!f.isSuccess() && link.exchange == this) {
					link.exchange = null;
					link.channel.close();
					closedBeforeAnswer(f.cause());
				}
			});
		}

		void read(Object msg) {
			if (msg instanceof HttpResponse response) {
				if (response.decoderResult().isFailure()) {
					ReferenceCountUtil.release(msg);
					failAndClose(cutShort(response.decoderResult().cause()));
					return;
				}
				head(response);
			}
			if (msg instanceof HttpContent content) {
				Body body = this.body;
				if (body == null || content.decoderResult().isFailure()) {
					content.release();
					if (body != null) {
						failAndClose(cutShort(content.decoderResult().cause()));
					}
					return;
				}
				ByteBuf data = content.content();
				if (data.isReadable()) {
					body.offer(data);
				}
				else {
					data.release();
				}
				if (msg instanceof LastHttpContent) {
					end();
					body.complete();
				}
			}
		}

		/** What a decoder's failure means to the relay: the answer was cut short, or was not HTTP. */
		private IOException cutShort(@Nullable Throwable cause) {
			if (cause instanceof PrematureChannelClosureException) {
				return new IOException("Connection prematurely closed DURING response");
			}
			return new IOException("Malformed answer from participant", cause);
		}

		private void head(HttpResponse response) {
			this.keepAlive = HttpUtil.isKeepAlive(response);
			Body body = new Body(this);
			this.body = body;
			HttpHeaders headers = response.headers();
			Publisher<Void> answered;
			try {
				answered = this.answer.answer(response.status().code(), headers.get(HttpHeaderNames.CONTENT_TYPE),
						headers.get(HttpHeaderNames.CONTENT_LENGTH), ByteBufFlux.fromInbound(body));
			}
			catch (RuntimeException ex) {
				this.body = null;
				failAndClose(ex);
				return;
			}
			Mono.from(answered).subscribe(this);
		}

		/** The answer's last byte was read: the connection goes back to the pool (or closes). */
		private void end() {
			this.ended = true;
			Link link = this.link;
			if (link == null) {
				return;
			}
			link.exchange = null;
			this.link = null;
			if (this.keepAlive && link.channel.isActive()) {
				link.channel.config().setAutoRead(true);
				this.pool.giveBack(link);
			}
			else {
				link.channel.close();
			}
		}

		/**
		 * The connection closed or failed under this exchange ({@code cause}: a reset, a decoder's error; none: a
		 * close): before the answer, a retry or the failure; during it, the answer cut short.
		 */
		void lost(@Nullable Throwable cause) {
			this.link = null;
			if (this.ended) {
				return;
			}
			if (this.body == null) {
				closedBeforeAnswer(cause);
			}
			else {
				fail((cause != null) ? cause : new IOException("Connection prematurely closed DURING response"));
			}
		}

		private void closedBeforeAnswer(@Nullable Throwable cause) {
			if (this.reused && !this.finished && !(cause instanceof ReadTimeoutException)) {
				// The participant closed an idle connection just as it was reused: once more, on a new one.
				this.reused = false;
				start(true);
				return;
			}
			fail((cause != null) ? cause : new IOException("Connection prematurely closed BEFORE response"));
		}

		/** This exchange's connection cannot be reused: it is let go and closed. */
		private void drop() {
			Link link = this.link;
			this.link = null;
			if (link != null) {
				link.exchange = null;
				link.channel.close();
			}
		}

		/** The relay is done with the answer before its end was read: the connection cannot be reused. */
		private void abandon() {
			if (!this.ended) {
				this.ended = true;
				drop();
			}
		}

		private void failAndClose(Throwable error) {
			drop();
			fail(error);
		}

		/** Ends the exchange with {@code error}: on the answer's body if it started, else on the relay. */
		void fail(Throwable error) {
			Body body = this.body;
			if (body != null && !this.ended) {
				this.ended = true;
				body.fail(error);
				return;
			}
			if (!this.finished) {
				this.finished = true;
				this.sink.error(error);
			}
		}

		/** The relay was cancelled (its client went away): the connection cannot be reused mid-answer. */
		private void cancel() {
			if (this.finished) {
				return;
			}
			this.finished = true;
			Subscription answered = this.answered;
			if (answered != null) {
				answered.cancel();
			}
			Body body = this.body;
			if (body != null) {
				body.discard();
			}
			abandon();
		}

		void onLoop(Runnable task) {
			EventLoops.run(this.loop, task);
		}

		void autoRead(boolean on) {
			Link link = this.link;
			if (link != null) {
				link.channel.config().setAutoRead(on);
			}
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.answered = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(Void value) {
		}

		@Override
		public void onError(Throwable error) {
			onLoop(() -> {
				if (!this.ended) {
					failAndClose(error);
				}
				if (!this.finished) {
					this.finished = true;
					this.sink.error(error);
				}
			});
		}

		@Override
		public void onComplete() {
			onLoop(() -> {
				abandon();
				if (!this.finished) {
					this.finished = true;
					this.sink.success();
				}
			});
		}

	}

	/**
	 * The answer's body for the relay: each buffer handed on once asked for, valid while it is delivered (released
	 * after), as Reactor Netty's inbound delivers. Reading pauses while too much waits to be asked for.
	 */
	private static final class Body extends Flux<ByteBuf> implements Subscription {

		private final Exchange exchange;

		private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();

		private @Nullable CoreSubscriber<? super ByteBuf> subscriber;

		private long demand;

		private long queuedBytes;

		private boolean paused;

		private boolean done;

		private @Nullable Throwable error;

		private boolean terminated;

		private boolean cancelled;

		private boolean draining;

		Body(Exchange exchange) {
			this.exchange = exchange;
		}

		@Override
		public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
			this.exchange.onLoop(() -> {
				if (this.subscriber != null) {
					Operators.error(actual, new IllegalStateException("The answer's body can be read once"));
					return;
				}
				this.subscriber = actual;
				actual.onSubscribe(this);
				drain();
			});
		}

		@Override
		public void request(long n) {
			this.exchange.onLoop(() -> {
				this.demand = Operators.addCap(this.demand, n);
				drain();
			});
		}

		@Override
		public void cancel() {
			this.exchange.onLoop(() -> {
				this.cancelled = true;
				discard();
				this.exchange.abandon();
			});
		}

		void offer(ByteBuf data) {
			if (this.cancelled || this.terminated) {
				data.release();
				return;
			}
			this.queue.add(data);
			this.queuedBytes += data.readableBytes();
			if (!this.paused && this.queuedBytes > PAUSE_BYTES) {
				this.paused = true;
				this.exchange.autoRead(false);
			}
			drain();
		}

		void complete() {
			this.done = true;
			drain();
		}

		void fail(Throwable error) {
			this.error = error;
			this.done = true;
			drain();
		}

		void discard() {
			ByteBuf data;
			while ((data = this.queue.poll()) != null) {
				data.release();
			}
			this.queuedBytes = 0;
		}

		private void drain() {
			Subscriber<? super ByteBuf> subscriber = this.subscriber;
			if (subscriber == null || this.draining || this.cancelled || this.terminated) {
				return;
			}
			this.draining = true;
			try {
				while (this.demand > 0 && !this.queue.isEmpty() && !this.cancelled) {
					ByteBuf data = this.queue.poll();
					this.queuedBytes -= data.readableBytes();
					this.demand--;
					try {
						subscriber.onNext(data);
					}
					finally {
						ReferenceCountUtil.safeRelease(data);
					}
				}
				if (this.paused && this.queuedBytes < RESUME_BYTES && !this.cancelled) {
					this.paused = false;
					this.exchange.autoRead(true);
				}
				if (this.done && this.queue.isEmpty() && !this.cancelled) {
					this.terminated = true;
					Throwable error = this.error;
					if (error != null) {
						subscriber.onError(error);
					}
					else {
						subscriber.onComplete();
					}
				}
			}
			finally {
				this.draining = false;
			}
		}

	}

}
