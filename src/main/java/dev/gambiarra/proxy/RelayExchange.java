package dev.gambiarra.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
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
		String length = this.request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
		if (length == null) {
			return -1;
		}
		try {
			return Long.parseLong(length.trim());
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

	/** Writes a whole body with its length and ends the response. */
	Mono<Void> send(byte[] body) {
		this.response.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
		return this.response.sendByteArray(Mono.just(body)).then();
	}

}
