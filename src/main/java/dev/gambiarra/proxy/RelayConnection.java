package dev.gambiarra.proxy;

import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;

import dev.gambiarra.proxy.RelayFilter.Relay;
import dev.gambiarra.web.HubException;

/**
 * The relayed POSTs of one HTTP/1.1 connection, served on Netty's pipeline: this handler sits right after the server's
 * HTTP codec, ahead of Reactor Netty's request handling, takes the relayed calls ({@link RelayRoute#relayOf}) and
 * hands every other request on, so WebFlux serves them as before. Measured from outside, Reactor Netty's server was
 * most of what a relay cost beyond a bare Netty one (docs/performance.md); here a relay costs the codec, this
 * handler and the relay itself.
 * <p>
 * What the server gave a relay is kept: answers in the order the requests came, pipelined or not (a relay waits for
 * the answers Reactor Netty is writing, and a request after a relay waits for the relay's answer, held unread with
 * reading paused); {@code Expect: 100-continue}; keep-alive as HTTP/1.0 and 1.1 define it; the {@code max-body-size}
 * limit, declared or read (413, then the connection closes, its body unread); a client that goes away cancels its
 * relay and the participant's call; and a shutdown waits for the relays in flight ({@link RelayDrain}).
 * Not thread-safe: the connection's event loop runs all of it.
 */
final class RelayConnection extends ChannelDuplexHandler {

	private static final Logger logger = LoggerFactory.getLogger(RelayConnection.class);

	/** This handler's name in the pipeline. */
	static final String NAME = "gambiarra.relay";

	private final RelayRoute route;

	private final RelayDrain drain;

	/** What arrived while it could not be served yet, in order; reading is paused while anything is here. */
	private final ArrayDeque<Object> held = new ArrayDeque<>();

	/** The relay this connection serves now, from its request line to the end of its answer. */
	private @Nullable ChannelRelayExchange relay;

	/** Its body is still arriving. */
	private boolean readingBody;

	/** Its body is dropped as it arrives: its answer, an error, is decided already. */
	private boolean refused;

	/** Requests handed on whose answers Reactor Netty has not finished writing. */
	private int handedOn;

	/** The body arriving belongs to a request handed on. */
	private boolean handingOnBody;

	/** The answer Reactor Netty is writing is an informational one (100 Continue), not the request's answer. */
	private boolean informational;

	private boolean paused;

	RelayConnection(RelayRoute route, RelayDrain drain) {
		this.route = route;
		this.drain = drain;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!this.held.isEmpty() || !canServe(msg)) {
			hold(ctx, msg);
			return;
		}
		serve(ctx, msg);
	}

	/** Whether {@code msg} can be served now, or must wait for an answer being written. */
	private boolean canServe(Object msg) {
		if (this.relay != null && !this.readingBody) {
			return false;
		}
		return this.handedOn == 0 || !(msg instanceof HttpRequest request) || claimed(request) == null;
	}

	private void serve(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest request) {
			Relay relay = claimed(request);
			if (relay == null) {
				this.handedOn++;
				this.handingOnBody = !(msg instanceof LastHttpContent);
				ctx.fireChannelRead(msg);
				return;
			}
			begin(ctx, request, relay);
		}
		else if (this.handingOnBody) {
			this.handingOnBody = !(msg instanceof LastHttpContent);
			ctx.fireChannelRead(msg);
			return;
		}
		if (msg instanceof HttpContent content) {
			body(ctx, content);
		}
		else if (!(msg instanceof HttpRequest)) {
			ctx.fireChannelRead(msg);
		}
	}

	private void begin(ChannelHandlerContext ctx, HttpRequest request, Relay relay) {
		ChannelRelayExchange exchange = new ChannelRelayExchange(ctx, request, relay,
				RelayRoute.requestId(request.headers()));
		RelayRoute.prepare(exchange);
		if (!ctx.channel().config().isAutoRead()) {
			// Reactor Netty reads a request at a time; this connection reads on while a relay is served (its body,
			// a client's close, a pipelined request, which pauses reading until its turn).
			ctx.channel().config().setAutoRead(true);
		}
		this.relay = exchange;
		this.readingBody = true;
		this.refused = false;
		this.drain.enter();
		HubException refusal = null;
		if (this.drain.isDraining()) {
			refusal = new HubException(HttpStatus.SERVICE_UNAVAILABLE, "The hub is shutting down", "hub_shutting_down");
		}
		else if (exchange.contentLength() > this.route.maxBodyBytes()) {
			refusal = HubException.tooLarge();
		}
		if (refusal != null) {
			refuse(ctx, exchange, refusal);
		}
		else if (HttpUtil.is100ContinueExpected(request)) {
			ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
					Unpooled.EMPTY_BUFFER));
		}
	}

	/** Answers with {@code error} and closes the connection after it: the rest of the body is never read. */
	private void refuse(ChannelHandlerContext ctx, ChannelRelayExchange exchange, Throwable error) {
		this.refused = true;
		exchange.releaseBody();
		exchange.closeAfter();
		run(ctx, exchange, this.route.fail(exchange, error));
	}

	private void body(ChannelHandlerContext ctx, HttpContent content) {
		ChannelRelayExchange exchange = this.relay;
		if (exchange == null || !this.readingBody) {
			content.release();
			return;
		}
		try {
			ByteBuf part = content.content();
			if (!this.refused && content.decoderResult().isFailure()) {
				// A malformed body (a bad chunk): the codec reads nothing more of this connection.
				refuse(ctx, exchange, HubException.badRequest("Malformed request body"));
			}
			else if (!this.refused && part.isReadable()) {
				if (exchange.bodySize() + (long) part.readableBytes() > this.route.maxBodyBytes()) {
					refuse(ctx, exchange, HubException.tooLarge());
				}
				else {
					exchange.addBody(part.retain());
				}
			}
		}
		finally {
			content.release();
		}
		if (content instanceof LastHttpContent) {
			this.readingBody = false;
			if (!this.refused) {
				run(ctx, exchange, this.route.serve(exchange.relay(), exchange));
			}
		}
	}

	private void run(ChannelHandlerContext ctx, ChannelRelayExchange exchange, Mono<Void> answer) {
		exchange.running(answer.subscribe(null, (error) -> ended(ctx, exchange, error), () -> ended(ctx, exchange,
				null)));
	}

	/** The answer of {@code exchange} is written (or failed): on to the next request, or the connection's end. */
	private void ended(ChannelHandlerContext ctx, ChannelRelayExchange exchange, @Nullable Throwable error) {
		EventLoops.run(ctx.executor(), () -> answered(ctx, exchange, error));
	}

	private void answered(ChannelHandlerContext ctx, ChannelRelayExchange exchange, @Nullable Throwable error) {
		if (this.relay != exchange) {
			return;
		}
		if (error == null && !exchange.isCommitted()) {
			// A relay that ended without an answer: a bug, answered as one rather than left hanging.
			run(ctx, exchange, this.route.fail(exchange, new IllegalStateException("The relay ended unanswered")));
			return;
		}
		this.relay = null;
		this.readingBody = false;
		exchange.releaseBody();
		this.drain.exit();
		if (error != null) {
			// After the first byte a failure can only abort the connection: the client sees a cut answer.
			logger.debug("{} relay failed after its answer started: {}", exchange.requestId(), error.toString());
			ctx.close();
			return;
		}
		if (!exchange.keepsAlive()) {
			ctx.close();
			return;
		}
		serveHeld(ctx);
	}

	private void hold(ChannelHandlerContext ctx, Object msg) {
		this.held.add(msg);
		if (!this.paused) {
			this.paused = true;
			ctx.channel().config().setAutoRead(false);
		}
	}

	/** Serves what waited, in order, as far as it can be served now; reading resumes once nothing waits. */
	private void serveHeld(ChannelHandlerContext ctx) {
		while (!this.held.isEmpty() && canServe(this.held.peek())) {
			serve(ctx, this.held.poll());
		}
		if (this.held.isEmpty() && this.paused && ctx.channel().isActive()) {
			this.paused = false;
			ctx.channel().config().setAutoRead(true);
		}
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		// Only what Reactor Netty writes comes through here: a relay's answer is written from this handler's context.
		if (msg instanceof HttpResponse response) {
			this.informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
		}
		boolean answered = msg instanceof LastHttpContent && !this.informational && this.handedOn > 0;
		ctx.write(msg, promise);
		if (answered && --this.handedOn == 0 && !this.held.isEmpty()) {
			ctx.executor().execute(() -> serveHeld(ctx));
		}
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		ChannelRelayExchange exchange = this.relay;
		if (exchange != null) {
			exchange.writabilityChanged();
		}
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		release();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		release();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ChannelRelayExchange exchange = this.relay;
		if (exchange == null) {
			ctx.fireExceptionCaught(cause);
			return;
		}
		logger.debug("{} client connection failed: {}", exchange.requestId(), cause.toString());
		ctx.close();
	}

	/** The connection is gone: its relay is cancelled, what it held let go. */
	private void release() {
		ChannelRelayExchange exchange = this.relay;
		if (exchange != null) {
			this.relay = null;
			exchange.abort();
			this.drain.exit();
		}
		Object msg;
		while ((msg = this.held.poll()) != null) {
			ReferenceCountUtil.release(msg);
		}
	}

	/** The relayed call {@code request} is, when this handler serves it; {@code null} hands it on. */
	private static @Nullable Relay claimed(HttpRequest request) {
		return request.decoderResult().isSuccess() ? RelayRoute.relayOf(request.method(), request.uri()) : null;
	}

}
