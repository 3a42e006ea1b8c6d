package dev.gambiarra.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;

import dev.gambiarra.web.HubException;

/**
 * An upstream error answer an OpenAI client could not parse (plain text, HTML, an empty body) becomes the hub's own
 * {@code 502 Failed to proxy request: upstream answered <status>: <first 200 characters>} in the route's error
 * shape, as the original hub answers 502; a JSON error body is passed through as it is. Only the first
 * {@value #HEAD_LIMIT} bytes of such a body are kept (the rest is drained and dropped), so a misbehaving upstream
 * cannot make the hub hold more.
 */
final class UpstreamErrorBody {

	static final int HEAD_LIMIT = 4096;

	private static final int EXCERPT = 200;

	private UpstreamErrorBody() {
	}

	/** Whether the upstream declared a JSON body ({@code application/json}, {@code application/problem+json}, …). */
	static boolean declaresJson(@Nullable String contentType) {
		return contentType != null && contentType.toLowerCase().contains("json");
	}

	/**
	 * The body's first bytes, once the whole body was read: all of it up to {@link #HEAD_LIMIT}, one byte more for a
	 * longer body (so a cut body is never taken for JSON).
	 */
	static Mono<byte[]> head(ByteBufFlux content) {
		return content.asByteArray().reduceWith(Head::new, Head::append).map(Head::bytes);
	}

	/** A body without a JSON content type that is JSON all the same (some servers say {@code text/plain}). */
	static boolean isJson(byte[] head, JsonMapper json) {
		if (head.length == 0 || head.length > HEAD_LIMIT) {
			return false;
		}
		byte first = head[0];
		if (first != '{' && first != '[') {
			return false;
		}
		try {
			json.readTree(head);
			return true;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	/** The hub's 502 for an upstream error body no OpenAI client could parse. */
	static HubException unparseable(int status, byte[] head) {
		String text = new String(head, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
		if (text.length() > EXCERPT) {
			text = text.substring(0, EXCERPT);
		}
		String message = "Failed to proxy request: upstream answered " + status + (text.isEmpty() ? "" : ": " + text);
		return new HubException(HttpStatus.BAD_GATEWAY, message, "upstream_error");
	}

	/** At most {@link #HEAD_LIMIT} + 1 bytes of a body, read chunk by chunk. */
	private static final class Head {

		private byte[] bytes = new byte[0];

		Head append(byte[] chunk) {
			int room = HEAD_LIMIT + 1 - this.bytes.length;
			if (room > 0 && chunk.length > 0) {
				int taken = Math.min(room, chunk.length);
				byte[] joined = Arrays.copyOf(this.bytes, this.bytes.length + taken);
				System.arraycopy(chunk, 0, joined, this.bytes.length, taken);
				this.bytes = joined;
			}
			return this;
		}

		byte[] bytes() {
			return this.bytes;
		}

	}

}
