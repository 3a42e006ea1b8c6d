package dev.gambiarra.proxy;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.gambiarra.rooms.RoomAccess;

/**
 * The client's side of one relayed request: what {@link ProxyService} reads from the client and writes back to it.
 * On an HTTP/1.1 connection the relay runs on Netty's pipeline ({@link RelayConnection}); elsewhere on Reactor
 * Netty's request and response ({@link ReactorRelayExchange}).
 */
abstract class RelayExchange {

	private final String requestId;

	RelayExchange(String requestId) {
		this.requestId = requestId;
	}

	final String requestId() {
		return this.requestId;
	}

	/** The request's headers. */
	abstract HttpHeaders requestHeaders();

	/** The client's address, when the connection knows it. */
	abstract @Nullable InetSocketAddress remoteAddress();

	/** What the client presents to enter the room. */
	final RoomAccess.Caller caller() {
		HttpHeaders headers = requestHeaders();
		return RoomAccess.caller(headers.get(RoomAccess.PASSWORD_HEADER), headers.get(HttpHeaderNames.AUTHORIZATION),
				remoteAddress());
	}

	/** The declared {@code Content-Length}, or -1. */
	final long contentLength() {
		return length(requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH));
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

	/** The request body; each buffer valid while it is delivered. */
	abstract Flux<ByteBuf> body();

	/** Whether the status and headers went out (after that, a failure can only abort the connection). */
	abstract boolean isCommitted();

	abstract void status(int status);

	abstract void header(CharSequence name, CharSequence value);

	abstract void removeHeader(CharSequence name);

	/**
	 * Writes each buffer as it comes (each released once written) and ends the response. {@code length} is the
	 * body's declared length, or -1: a body whose first buffer holds all of it goes out with the headers, as one
	 * message and one socket write.
	 */
	abstract Mono<Void> send(Flux<ByteBuf> body, long length);

	/** Writes a whole body with its length and ends the response. */
	abstract Mono<Void> send(byte[] body);

}
