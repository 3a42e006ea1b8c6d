package dev.gambiarra.proxy;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The first-byte and idle timeouts of the exchanges on one connection to a participant (or to another hub), in one
 * handler that stays on the connection for its whole life, on the connections of both upstream clients (Reactor
 * Netty's and {@link DirectUpstream}): from a request written to its answer's head at most
 * {@code firstByte}, then at most {@code idle} between two reads of the answer, nothing while the connection waits
 * in the pool. Either fails the exchange with a {@link ReadTimeoutException} and closes the connection, as Netty's
 * {@code ReadTimeoutHandler} does.
 * <p>
 * Reactor Netty's own response timeout and a per-answer {@code ReadTimeoutHandler} did the same with two handlers
 * added to the pipeline and removed again for every request; one timer, re-armed only when it fires early, does it
 * without touching the pipeline. Not thread-safe: the connection's event loop runs all of it.
 */
final class ExchangeTimeouts extends ChannelDuplexHandler {

	static final String NAME = "gambiarra-timeouts";

	private final long firstByteNanos;

	private final long idleNanos;

	private @Nullable ScheduledFuture<?> timer;

	/** Between an answer's head and its end: the idle timeout applies. */
	private boolean answering;

	private long lastRead;

	ExchangeTimeouts(long firstByteNanos, long idleNanos) {
		this.firstByteNanos = firstByteNanos;
		this.idleNanos = idleNanos;
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof HttpRequest) {
			cancel();
			this.answering = false;
			this.timer = ctx.executor().schedule(() -> timedOut(ctx), this.firstByteNanos, TimeUnit.NANOSECONDS);
		}
		ctx.write(msg, promise);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpResponse) {
			cancel();
			this.answering = true;
			this.lastRead = System.nanoTime();
			this.timer = ctx.executor().schedule(() -> idleCheck(ctx), this.idleNanos, TimeUnit.NANOSECONDS);
		}
		else if (msg instanceof HttpContent && this.answering) {
			this.lastRead = System.nanoTime();
		}
		if (msg instanceof LastHttpContent) {
			this.answering = false;
			cancel();
		}
		ctx.fireChannelRead(msg);
	}

	private void idleCheck(ChannelHandlerContext ctx) {
		if (!this.answering) {
			return;
		}
		long left = this.idleNanos - (System.nanoTime() - this.lastRead);
		if (left > 0) {
			this.timer = ctx.executor().schedule(() -> idleCheck(ctx), left, TimeUnit.NANOSECONDS);
			return;
		}
		timedOut(ctx);
	}

	private void timedOut(ChannelHandlerContext ctx) {
		this.timer = null;
		this.answering = false;
		if (ctx.channel().isActive()) {
			ctx.fireExceptionCaught(ReadTimeoutException.INSTANCE);
			ctx.close();
		}
	}

	private void cancel() {
		ScheduledFuture<?> timer = this.timer;
		if (timer != null) {
			this.timer = null;
			timer.cancel(false);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		cancel();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancel();
	}

}
