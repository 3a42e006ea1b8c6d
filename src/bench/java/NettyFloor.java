import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.ConnectionProvider;

/**
 * The JVM floor of the outside benchmark ({@code BENCH_FLOOR=netty} in {@code src/bench/node/outside.mjs}): the
 * barest relay that can be written on the hub's own transport, Netty's epoll, in the JVM the hub runs on. One event
 * loop per core, an upstream connection pool per loop (a request, its upstream call and the relay of the answer on
 * one thread), the request read whole, the answer passed on as Netty decodes it and flushed once per read. Nothing
 * else: no routing, no JSON, no rooms, no limits, no timeouts, no log, no metrics, no events, no error handling
 * worth the name. Not a product, a measurement: what the JVM and Netty cost on this machine before any of the hub's
 * own work (nginx is the floor of any reverse proxy; this one, of a JVM one).
 *
 * <p>
 * With {@code reactor} as third argument, the same relay on Reactor Netty instead ({@code BENCH_FLOOR=reactor-netty}):
 * its server, its pooled client (a pool per event loop, as the hub's), the answer's buffers passed on as read. The
 * hub's transport with none of the hub: between the two floors is what Reactor Netty costs, between this one and the
 * hub what the hub's own work costs.
 *
 * With {@code reactor-server}, Reactor Netty's server and this bare client ({@code BENCH_FLOOR=reactor-server}): what
 * Reactor Netty's client and pool cost, on their own. With {@code netty-server}, the bare server on Reactor Netty's
 * loops with Reactor Netty's client ({@code BENCH_FLOOR=netty-server}): what Reactor Netty's server costs, on its own.
 *
 * <pre>
 * java -cp 'lib/*' src/bench/java/NettyFloor.java PORT UPSTREAM_PORT [reactor|reactor-server|netty-server]
 * </pre>
 * where {@code lib/} holds the jar's libraries (what {@code java -Djarmode=tools -jar gambiarra.jar extract} writes).
 */
public final class NettyFloor {

	private static final FastThreadLocal<ArrayDeque<Channel>> idle = new FastThreadLocal<>() {
		@Override
		protected ArrayDeque<Channel> initialValue() {
			return new ArrayDeque<>();
		}
	};

	private NettyFloor() {
	}

	public static void main(String[] args) throws InterruptedException {
		int port = Integer.parseInt(args[0]);
		int upstreamPort = Integer.parseInt(args[1]);
		if (args.length > 2 && args[2].equals("reactor")) {
			reactor(port, upstreamPort);
			return;
		}
		if (args.length > 2 && args[2].equals("netty-server")) {
			nettyServer(port, upstreamPort);
			return;
		}
		if (args.length > 2 && args[2].equals("reactor-server")) {
			reactorServer(port, upstreamBootstrap(upstreamPort));
			return;
		}
		EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
				EpollIoHandler.newFactory());
		Bootstrap upstream = upstreamBootstrap(upstreamPort);
		serve(loops, port, () -> new Request(upstream));
	}

	/** The bare HTTP server of the floors on {@code loops}: each request read whole, then given to a new handler. */
	private static void serve(EventLoopGroup loops, int port, Supplier<ChannelInboundHandlerAdapter> handler)
			throws InterruptedException {
		Channel server = new ServerBootstrap().group(loops)
			.channel(EpollServerSocketChannel.class)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), handler.get());
				}
			})
			.bind("127.0.0.1", port)
			.sync()
			.channel();
		System.out.println("{\"port\":" + port + "}");
		server.closeFuture().sync();
	}

	private static Bootstrap upstreamBootstrap(int upstreamPort) {
		return new Bootstrap().channel(EpollSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.remoteAddress("127.0.0.1", upstreamPort)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline().addLast(new HttpClientCodec(), new Answer());
				}
			});
	}

	/** Reactor Netty's server; each answer from a bare upstream connection of the loop, through a sink. */
	private static void reactorServer(int port, Bootstrap upstream) {
		HttpServer.create().host("127.0.0.1").port(port).handle((request, response) -> {
			Channel client = ((Connection) request).channel();
			String type = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
			return request.receive().aggregate().retain().defaultIfEmpty(Unpooled.EMPTY_BUFFER).flatMap((body) -> {
				Sinks.One<HttpResponse> head = Sinks.one();
				Sinks.Many<ByteBuf> content = Sinks.many().unicast().onBackpressureBuffer();
				dispatch(upstream, client.eventLoop(), call(request.method(), request.uri(), body, type), (answer) -> {
					answer.head = head;
					answer.content = content;
				}, head::tryEmitError);
				return head.asMono().flatMap((answer) -> {
					response.status(answer.status());
					passOn(answer.headers(), response::header, HttpHeaderNames.CONTENT_TYPE,
							HttpHeaderNames.CONTENT_LENGTH);
					return response.send(content.asFlux()).then();
				});
			});
		}).bindNow().onDispose().block();
	}

	/** The headers of an answer a floor passes on to its client: those of {@code names} it has. */
	private static void passOn(HttpHeaders from, BiConsumer<CharSequence, String> to, CharSequence... names) {
		for (CharSequence name : names) {
			String value = from.get(name);
			if (value != null) {
				to.accept(name, value);
			}
		}
	}

	/** The upstream request for a client's: its method, target, body and content type. */
	private static FullHttpRequest call(HttpMethod method, String uri, ByteBuf body, CharSequence type) {
		DefaultFullHttpRequest call = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, body);
		call.headers().set(HttpHeaderNames.HOST, "127.0.0.1").set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
		if (type != null) {
			call.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
		}
		return call;
	}

	/**
	 * Sends {@code call} on an idle upstream connection of this loop, or on a new one of {@code loop}, once {@code lend}
	 * told the connection's {@link Answer} where the answer goes; {@code failed} hears of a connection that failed.
	 */
	private static void dispatch(Bootstrap upstream, EventLoop loop, FullHttpRequest call, Consumer<Answer> lend,
			Consumer<Throwable> failed) {
		ArrayDeque<Channel> pool = idle.get();
		Channel connection = pool.poll();
		while (connection != null && !connection.isActive()) {
			connection = pool.poll();
		}
		if (connection != null) {
			lend.accept(connection.pipeline().get(Answer.class));
			connection.writeAndFlush(call);
			return;
		}
		upstream.clone(loop).connect().addListener((ChannelFutureListener) (future) -> {
			if (future.isSuccess()) {
				lend.accept(future.channel().pipeline().get(Answer.class));
				future.channel().writeAndFlush(call);
			}
			else {
				ReferenceCountUtil.release(call);
				failed.accept(future.cause());
			}
		});
	}

	/**
	 * The bare server on Reactor Netty's event loops, each request relayed by Reactor Netty's pooled client of its
	 * loop: what a relay on Netty's own pipeline, with the hub's client, would cost.
	 */
	private static void nettyServer(int port, int upstreamPort) throws InterruptedException {
		Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
		serve(HttpResources.get().onServer(true), port, () -> new ReactorClientRequest(clients, upstreamPort));
	}

	/** The pooled Reactor Netty client of the calling event loop. */
	private static HttpClient client(Map<Thread, HttpClient> clients, int upstreamPort) {
		return clients.computeIfAbsent(Thread.currentThread(),
				(thread) -> HttpClient.create(ConnectionProvider.builder("floor-" + clients.size())
					.maxConnections(512)
					.pendingAcquireMaxCount(-1)
					.build()).baseUrl("http://127.0.0.1:" + upstreamPort));
	}

	/** The same relay on Reactor Netty's server and pooled client, a pool per event loop. */
	private static void reactor(int port, int upstreamPort) {
		Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
		HttpServer.create().host("127.0.0.1").port(port).handle((request, response) -> {
			HttpClient client = client(clients, upstreamPort);
			String type = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
			return request.receive().aggregate().retain().defaultIfEmpty(Unpooled.EMPTY_BUFFER)
				.flatMap((body) -> client.request(request.method()).uri(request.uri()).send((call, outbound) -> {
					if (type != null) {
						call.header(HttpHeaderNames.CONTENT_TYPE, type);
					}
					return outbound.send(Mono.just(body));
				}).response((answer, content) -> {
					response.status(answer.status());
					passOn(answer.responseHeaders(), response::header, HttpHeaderNames.CONTENT_TYPE,
							HttpHeaderNames.CONTENT_LENGTH);
					return response.send(content.retain());
				}).then());
		}).bindNow().onDispose().block();
	}

	/** A client's connection: each request, read whole, goes to an idle upstream connection of this loop. */
	private static final class Request extends ChannelInboundHandlerAdapter {

		private final Bootstrap upstream;

		Request(Bootstrap upstream) {
			this.upstream = upstream;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			FullHttpRequest request = (FullHttpRequest) msg;
			boolean keepAlive = HttpUtil.isKeepAlive(request);
			FullHttpRequest call = call(request.method(), request.uri(), request.content(),
					request.headers().get(HttpHeaderNames.CONTENT_TYPE));
			dispatch(this.upstream, ctx.channel().eventLoop(), call, (answer) -> {
				answer.client = ctx.channel();
				answer.keepAlive = keepAlive;
			}, (cause) -> ctx.close());
		}

	}

	/** A client's connection: each request, read whole, relayed by Reactor Netty's client of this loop. */
	private static final class ReactorClientRequest extends ChannelInboundHandlerAdapter {

		private final Map<Thread, HttpClient> clients;

		private final int upstreamPort;

		ReactorClientRequest(Map<Thread, HttpClient> clients, int upstreamPort) {
			this.clients = clients;
			this.upstreamPort = upstreamPort;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			FullHttpRequest request = (FullHttpRequest) msg;
			boolean keepAlive = HttpUtil.isKeepAlive(request);
			String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
			ByteBuf body = request.content();
			Channel channel = ctx.channel();
			client(this.clients, this.upstreamPort).request(request.method())
				.uri(request.uri())
				.send((call, outbound) -> {
					if (type != null) {
						call.header(HttpHeaderNames.CONTENT_TYPE, type);
					}
					return outbound.send(Mono.just(body));
				})
				.response((answer, content) -> {
					DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, answer.status());
					passOn(answer.responseHeaders(), head.headers()::set, HttpHeaderNames.CONTENT_TYPE,
							HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING);
					if (!keepAlive) {
						head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
					}
					channel.write(head);
					return content.retain()
						.doOnNext((buffer) -> channel.writeAndFlush(new DefaultHttpContent(buffer)))
						.then(Mono.fromRunnable(() -> {
							ChannelFuture written = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
							if (!keepAlive) {
								written.addListener(ChannelFutureListener.CLOSE);
							}
						}));
				})
				.subscribe(null, (error) -> channel.close());
		}

	}

	/** An upstream connection: its answer goes to the client it was lent to, flushed once per read. */
	private static final class Answer extends ChannelInboundHandlerAdapter {

		Channel client;

		boolean keepAlive;

		Sinks.One<HttpResponse> head;

		Sinks.Many<ByteBuf> content;

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (this.content != null) {
				toSinks(ctx, msg);
				return;
			}
			if (msg instanceof HttpResponse response) {
				DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status());
				passOn(response.headers(), head.headers()::set, HttpHeaderNames.CONTENT_TYPE,
						HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING);
				if (!this.keepAlive) {
					head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
				}
				this.client.write(head);
			}
			if (msg instanceof HttpContent content) {
				Channel client = this.client;
				if (content instanceof LastHttpContent) {
					this.client = null;
					ChannelFuture written = client.writeAndFlush(content);
					if (!this.keepAlive) {
						written.addListener(ChannelFutureListener.CLOSE);
					}
					idle.get().offer(ctx.channel());
				}
				else {
					client.write(content);
				}
			}
		}

		private void toSinks(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof HttpResponse response) {
				this.head.tryEmitValue(response);
			}
			if (msg instanceof HttpContent part) {
				Sinks.Many<ByteBuf> content = this.content;
				if (part.content().isReadable()) {
					content.tryEmitNext(part.content());
				}
				else {
					part.release();
				}
				if (part instanceof LastHttpContent) {
					this.content = null;
					this.head = null;
					content.tryEmitComplete();
					idle.get().offer(ctx.channel());
				}
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			if (this.client != null) {
				this.client.flush();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (this.client != null) {
				this.client.close();
			}
			ctx.close();
		}

	}

}
