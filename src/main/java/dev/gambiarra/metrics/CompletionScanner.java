package dev.gambiarra.metrics;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBuffer;

/**
 * A cheap, incremental look at an OpenAI-style answer as its bytes go by, for metrics only. It reads each relayed
 * buffer once, without decoding, retaining or moving its read position, and keeps a few fields of state, so a JSON
 * value split across buffers is still recognised. The bytes are read in a plain loop over an array (the buffer's
 * own, or a per-thread copy of a direct buffer, a memory copy): a per-byte callback through Netty's
 * {@code forEachByte} is a call the JIT cannot inline, since every decoder of the connection uses the same loop.
 * Inside a string that cannot be a key it only looks for the bytes that end or escape it.
 * <p>
 * It counts generated values ({@code "content"}, {@code "reasoning_content"}, {@code "text"}, {@code "arguments"}
 * followed by a non-empty string: one per streamed chunk, the usual one token per chunk) and remembers the last
 * {@code "completion_tokens"} number it saw (the upstream's {@code usage}, in the body of a JSON answer or the last
 * chunks of a stream). It tracks JSON strings and escapes, so the same words inside generated text never count.
 * Not thread-safe: one scanner per request, fed in order (as a Reactive Streams subscriber is).
 */
public final class CompletionScanner {

	private static final byte[][] CONTENT_KEYS = { bytes("content"), bytes("reasoning_content"), bytes("text"),
			bytes("arguments") };

	private static final byte[] USAGE_KEY = bytes("completion_tokens");

	private static final int MAX_KEY = 17;

	private static final long NUMBER_CAP = 1_000_000_000_000L;

	private static final int KIND_NONE = 0;

	private static final int KIND_CONTENT = 1;

	private static final int KIND_USAGE = 2;

	/** Outside strings: what the scanner expects next after a string that may have been a key. */
	private static final int EXPECT_NOTHING = 0;

	private static final int EXPECT_COLON = 1;

	private static final int EXPECT_VALUE = 2;

	private static final int IN_NUMBER = 3;

	private final byte[] key = new byte[MAX_KEY];

	private static final int SCRATCH_BYTES = 4096;

	/** Per thread (an event loop scans many answers, one at a time): where a direct buffer's bytes are copied. */
	private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);

	private int keyLength;

	private boolean inString;

	private boolean escaped;

	/** Inside the string value of a content key, no byte of it seen yet. */
	private boolean valueStart;

	private int expect = EXPECT_NOTHING;

	private int kind = KIND_NONE;

	private long number;

	private int contentValues;

	private long completionTokens = -1;

	/**
	 * Scans the readable bytes of {@code buffer}, leaving it untouched.
	 * @return whether a generated value started in this buffer
	 */
	public boolean scan(DataBuffer buffer) {
		int before = this.contentValues;
		if (buffer instanceof NettyDataBuffer netty) {
			scanBytes(netty.getNativeBuffer());
		}
		else {
			int end = buffer.writePosition();
			for (int i = buffer.readPosition(); i < end; i++) {
				next(buffer.getByte(i));
			}
		}
		return this.contentValues != before;
	}

	/**
	 * Scans the readable bytes of {@code buffer}, leaving it untouched.
	 * @return whether a generated value started in this buffer
	 */
	public boolean scan(ByteBuf buffer) {
		int before = this.contentValues;
		scanBytes(buffer);
		return this.contentValues != before;
	}

	private void scanBytes(ByteBuf buffer) {
		int index = buffer.readerIndex();
		int end = buffer.writerIndex();
		if (buffer.hasArray()) {
			int offset = buffer.arrayOffset();
			scan(buffer.array(), offset + index, offset + end);
			return;
		}
		byte[] scratch = SCRATCH.get();
		while (index < end) {
			int length = Math.min(scratch.length, end - index);
			buffer.getBytes(index, scratch, 0, length);
			scan(scratch, 0, length);
			index += length;
		}
	}

	/** Scans a byte array (tests and benchmarks). */
	public boolean scan(byte[] bytes) {
		int before = this.contentValues;
		scan(bytes, 0, bytes.length);
		return this.contentValues != before;
	}

	private void scan(byte[] bytes, int from, int to) {
		int i = from;
		while (i < to) {
			if (this.inString && this.keyLength > MAX_KEY && !this.escaped && !this.valueStart) {
				// Generated text or a long string: nothing in it matters until the byte that ends or escapes it.
				while (i < to && !isStringBoundary(bytes[i])) {
					i++;
				}
				if (i == to) {
					return;
				}
			}
			next(bytes[i++]);
		}
	}

	private static boolean isStringBoundary(byte b) {
		return b == '"' || b == '\\' || b == '\n';
	}

	/** Non-empty generated values seen so far: one per streamed content chunk. */
	public int contentValues() {
		return this.contentValues;
	}

	/** The last {@code completion_tokens} the upstream reported, or -1 when it reported none. */
	public long completionTokens() {
		return this.completionTokens;
	}

	/** Tokens generated: the upstream's own count when it gave one, else the content values counted. */
	public long tokens() {
		return (this.completionTokens >= 0) ? this.completionTokens : this.contentValues;
	}

	private void next(byte b) {
		if (this.inString) {
			inString(b);
			return;
		}
		if (this.expect == IN_NUMBER) {
			if (b >= '0' && b <= '9') {
				if (this.number < NUMBER_CAP) {
					this.number = this.number * 10 + (b - '0');
				}
				return;
			}
			this.completionTokens = this.number;
			this.expect = EXPECT_NOTHING;
		}
		if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
			return;
		}
		if (b == '"') {
			this.inString = true;
			this.valueStart = this.expect == EXPECT_VALUE && this.kind == KIND_CONTENT;
			this.keyLength = 0;
			this.expect = EXPECT_NOTHING;
			return;
		}
		if (this.expect == EXPECT_COLON && b == ':') {
			this.expect = EXPECT_VALUE;
			return;
		}
		if (this.expect == EXPECT_VALUE && this.kind == KIND_USAGE && b >= '0' && b <= '9') {
			this.expect = IN_NUMBER;
			this.number = b - '0';
			return;
		}
		this.expect = EXPECT_NOTHING;
	}

	private void inString(byte b) {
		if (this.escaped) {
			this.escaped = false;
			this.keyLength = MAX_KEY + 1;
			return;
		}
		if (b == '"') {
			this.inString = false;
			if (this.valueStart) {
				this.valueStart = false;
				this.kind = KIND_NONE;
			}
			else {
				endOfString();
			}
			return;
		}
		if (b == '\n') {
			// A raw newline never occurs inside a JSON string: the input was cut or is not JSON. Start over.
			this.inString = false;
			this.valueStart = false;
			this.expect = EXPECT_NOTHING;
			return;
		}
		if (this.valueStart) {
			this.valueStart = false;
			this.kind = KIND_NONE;
			this.contentValues++;
			this.keyLength = MAX_KEY + 1;
		}
		if (b == '\\') {
			this.escaped = true;
		}
		if (this.keyLength == 0 && b != 'c' && b != 'r' && b != 't' && b != 'a') {
			// No key the scanner looks for starts so: skip the rest of this string as generated text.
			this.keyLength = MAX_KEY + 1;
			return;
		}
		if (this.keyLength < MAX_KEY) {
			this.key[this.keyLength] = b;
		}
		if (this.keyLength <= MAX_KEY) {
			this.keyLength++;
		}
	}

	private void endOfString() {
		this.kind = kindOfKey();
		this.expect = (this.kind != KIND_NONE) ? EXPECT_COLON : EXPECT_NOTHING;
	}

	private int kindOfKey() {
		int length = this.keyLength;
		if (length > MAX_KEY) {
			return KIND_NONE;
		}
		if (matches(USAGE_KEY, length)) {
			return KIND_USAGE;
		}
		for (byte[] candidate : CONTENT_KEYS) {
			if (matches(candidate, length)) {
				return KIND_CONTENT;
			}
		}
		return KIND_NONE;
	}

	private boolean matches(byte[] candidate, int length) {
		if (candidate.length != length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (this.key[i] != candidate[i]) {
				return false;
			}
		}
		return true;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
