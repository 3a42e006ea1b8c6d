package dev.gambiarra.outbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Hands the relay what one read from a participant's connection brought, as one buffer: the HTTP chunks the
 * connection's decoder produced from that read are joined and passed on when the read completes (or when they reach
 * {@code maxBytes}, or before anything that is not body content). Nothing waits for more data: the server flushes a
 * relayed answer at the end of each read anyway, so the bytes leave at the same moment, but as one write instead of
 * one per chunk, each of which cost a trip through the relay's operators, a response write and a chunk frame. A
 * participant streaming faster than the hub reads (64 small SSE events per read is usual) is where that counts.
 *
 * <p>{@code join --tunnel} adds it to its connections to the local server too, so one read of the local answer
 * becomes one {@code DATA} frame (docs/tunnel-protocol.md).
 *
 * <p>One per connection, for the connection's life (the relay's clients put it on each connection they open, right
 * after its HTTP codec); memory is bounded by {@code maxBytes} plus one chunk.
 */
public final class ReadCoalescer extends ChannelInboundHandlerAdapter {

	public static final String NAME = "gambiarra-coalesce";

	private final int maxBytes;

	/** The first chunk of the current read as the decoder produced it, or a pooled copy once a second joined it. */
	private ByteBuf pending;

	private boolean copied;

	public ReadCoalescer(int maxBytes) {
		this.maxBytes = maxBytes;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpContent content && !(msg instanceof LastHttpContent)) {
			append(ctx, content.content());
			if (this.pending.readableBytes() >= this.maxBytes) {
				firePending(ctx);
			}
			return;
		}
		firePending(ctx);
		ctx.fireChannelRead(msg);
	}

	/** Takes over {@code data}'s reference. */
	private void append(ChannelHandlerContext ctx, ByteBuf data) {
		if (this.pending == null) {
			this.pending = data;
			return;
		}
		try {
			if (!this.copied) {
				ByteBuf joined = ctx.alloc()
					.buffer(Math.max(2 * (this.pending.readableBytes() + data.readableBytes()), 4096));
				joined.writeBytes(this.pending);
				this.pending.release();
				this.pending = joined;
				this.copied = true;
			}
			this.pending.writeBytes(data);
		}
		finally {
			data.release();
		}
	}

	private void firePending(ChannelHandlerContext ctx) {
		ByteBuf data = this.pending;
		if (data != null) {
			this.pending = null;
			this.copied = false;
			ctx.fireChannelRead(new DefaultHttpContent(data));
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		firePending(ctx);
		ctx.fireChannelReadComplete();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		firePending(ctx);
		super.channelInactive(ctx);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
		firePending(ctx);
		super.exceptionCaught(ctx, cause);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		ByteBuf data = this.pending;
		if (data != null) {
			this.pending = null;
			data.release();
		}
	}

}
