package dev.gambiarra.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.gambiarra.rooms.RoomAccess;

/**
 * The client's side of one relayed request, straight on Reactor Netty's request and response: what
 * {@link ProxyService} reads from the client and writes back to it.
 */
final class RelayExchange {

	private final HttpServerRequest request;

	private final HttpServerResponse response;

	private final String requestId;

	RelayExchange(HttpServerRequest request, HttpServerResponse response, String requestId) {
		this.request = request;
		this.response = response;
		this.requestId = requestId;
	}

	String requestId() {
		return this.requestId;
	}

	/** What the client presents to enter the room. */
	RoomAccess.Caller caller() {
		HttpHeaders headers = this.request.requestHeaders();
		return RoomAccess.caller(headers.get(RoomAccess.PASSWORD_HEADER), headers.get(HttpHeaderNames.AUTHORIZATION),
				this.request.remoteAddress());
	}

	/** The declared {@code Content-Length}, or -1. */
	long contentLength() {
		return length(this.request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH));
	}

	/** A {@code Content-Length} header's value, or -1 when there is none or it is not a number. */
	static long length(@Nullable String value) {
		if (value == null) {
			return -1;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** The request body as the connection reads it; each buffer valid while it is delivered. */
	Flux<ByteBuf> body() {
		return this.request.receive();
	}

	/** Whether the status and headers went out (after that, a failure can only abort the connection). */
	boolean isCommitted() {
		return this.response.hasSentHeaders();
	}

	void status(int status) {
		this.response.status(status);
	}

	void header(CharSequence name, CharSequence value) {
		this.response.header(name, value);
	}

	void removeHeader(CharSequence name) {
		this.response.responseHeaders().remove(name);
	}

	/** Writes each buffer as it comes (the server releases each once written) and ends the response. */
	Mono<Void> send(Flux<ByteBuf> body) {
		return this.response.send(body).then();
	}

	/**
	 * As {@link #send(Flux)}, for a body of a declared {@code length} (-1: none): when its first buffer holds all of
	 * it (a plain answer read at once, the common case), the status line, the headers and that buffer go out as one
	 * message, in one socket write. Reactor Netty otherwise writes the headers on their own and the body after that
	 * write completed: two writes, and two segments for the client to read, per answer (traced with {@code strace}).
	 * Only what already arrived is joined: a body in several buffers is written as {@link #send(Flux)} writes it.
	 */
	Mono<Void> send(Flux<ByteBuf> body, long length) {
		if (length <= 0) {
			return send(body);
		}
		return body.switchOnFirst((first, all) -> {
			ByteBuf buffer = first.get();
			if (buffer != null && buffer.readableBytes() == length) {
				// The whole body: one buffer, then the completion that follows it in the same read.
				return this.response.send(all.singleOrEmpty());
			}
			return this.response.send(all);
		}).doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease).then();
	}

	/** Writes a whole body with its length and ends the response. */
	Mono<Void> send(byte[] body) {
		this.response.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
		return this.response.sendByteArray(Mono.just(body)).then();
	}

}
