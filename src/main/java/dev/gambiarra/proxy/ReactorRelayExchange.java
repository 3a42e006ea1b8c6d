package dev.gambiarra.proxy;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;


/**
 * The client's side of one relayed request on Reactor Netty's request and response ({@link RelayRoute}): where the
 * relay runs on a connection {@link RelayConnection} does not serve (an HTTP/2 one).
 */
final class ReactorRelayExchange extends RelayExchange {

	private final HttpServerRequest request;

	private final HttpServerResponse response;

	ReactorRelayExchange(HttpServerRequest request, HttpServerResponse response, String requestId) {
		super(requestId);
		this.request = request;
		this.response = response;
	}

	@Override
	HttpHeaders requestHeaders() {
		return this.request.requestHeaders();
	}

	@Override
	@Nullable InetSocketAddress remoteAddress() {
		return this.request.remoteAddress();
	}

	@Override
	Flux<ByteBuf> body() {
		return this.request.receive();
	}

	@Override
	boolean isCommitted() {
		return this.response.hasSentHeaders();
	}

	@Override
	void status(int status) {
		this.response.status(status);
	}

	@Override
	void header(CharSequence name, CharSequence value) {
		this.response.header(name, value);
	}

	@Override
	void removeHeader(CharSequence name) {
		this.response.responseHeaders().remove(name);
	}

	/** Writes each buffer as it comes (the server releases each once written) and ends the response. */
	private Mono<Void> send(Flux<ByteBuf> body) {
		return this.response.send(body).then();
	}

	/**
	 * When the body's first buffer holds all of its declared {@code length} (a plain answer read at once, the common
	 * case), the status line, the headers and that buffer go out as one message, in one socket write. Reactor Netty
	 * otherwise writes the headers on their own and the body after that write completed: two writes, and two
	 * segments for the client to read, per answer (traced with {@code strace}). Only what already arrived is joined:
	 * a body in several buffers is written as it comes.
	 */
	@Override
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

	@Override
	Mono<Void> send(byte[] body) {
		this.response.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
		return this.response.sendByteArray(Mono.just(body)).then();
	}

}
