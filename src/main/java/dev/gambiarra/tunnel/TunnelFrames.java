package dev.gambiarra.tunnel;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The frame layout of docs/tunnel-protocol.md: one binary WebSocket message is a type byte, a 4-byte stream id and a
 * payload. Shared by the hub's end and {@link TunnelClient}.
 */
public final class TunnelFrames {

	public static final byte REQUEST = 1;

	public static final byte DATA = 2;

	public static final byte END = 3;

	public static final byte RESPONSE = 4;

	public static final byte CANCEL = 5;

	public static final byte ERROR = 6;

	public static final byte CREDIT = 7;

	/** Type and stream id. */
	public static final int HEADER = 5;

	/** The most body bytes one DATA frame carries. */
	public static final int CHUNK = 64 * 1024;

	/**
	 * The close code of a tunnel whose participant is gone (it left, was kicked, or its room closed): the client
	 * must not reconnect with this token (docs/tunnel-protocol.md).
	 */
	public static final int CLOSE_REMOVED = 4000;

	/** A stream's answer window when neither side configured one (docs/tunnel-protocol.md). */
	public static final int DEFAULT_WINDOW = 256 * 1024;

	private TunnelFrames() {
	}

	/** A frame with a copy of {@code length} bytes of {@code payload} from {@code offset}. */
	public static ByteBuf frame(ByteBufAllocator allocator, byte type, int stream, byte[] payload, int offset,
			int length) {
		ByteBuf frame = allocator.buffer(HEADER + length);
		frame.writeByte(type).writeInt(stream).writeBytes(payload, offset, length);
		return frame;
	}

	public static ByteBuf frame(ByteBufAllocator allocator, byte type, int stream) {
		return allocator.buffer(HEADER).writeByte(type).writeInt(stream);
	}

	public static ByteBuf frame(ByteBufAllocator allocator, byte type, int stream, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		return frame(allocator, type, stream, bytes, 0, bytes.length);
	}

	/** A DATA frame of {@code body}'s readable bytes (copied; {@code body} is left as it was). */
	public static ByteBuf data(ByteBufAllocator allocator, int stream, ByteBuf body, int offset, int length) {
		ByteBuf frame = allocator.buffer(HEADER + length);
		frame.writeByte(DATA).writeInt(stream).writeBytes(body, offset, length);
		return frame;
	}

	public static ByteBuf credit(ByteBufAllocator allocator, int stream, int bytes) {
		return allocator.buffer(HEADER + 4).writeByte(CREDIT).writeInt(stream).writeInt(bytes);
	}

	public static String text(ByteBuf frame) {
		return frame.toString(frame.readerIndex() + HEADER, frame.readableBytes() - HEADER, StandardCharsets.UTF_8);
	}

}
