package dev.gambiarra.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import reactor.core.publisher.Flux;

import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.codec.ServerSentEventHttpMessageReader;
import org.springframework.mock.http.client.reactive.MockClientHttpResponse;

/** Raw event-stream text decoded by the same reader {@link CliHttp}'s WebClient uses. */
final class SseDecoding {

	private SseDecoding() {
	}

	/** The events of {@code raw}, delivered in pieces of {@code chunk} characters (to cross line boundaries). */
	static Stream<ServerSentEvent<String>> decode(String raw, int chunk) {
		Flux<DataBuffer> body = Flux.range(0, (raw.length() + chunk - 1) / chunk)
			.map((i) -> raw.substring(i * chunk, Math.min(raw.length(), (i + 1) * chunk)))
			.map((piece) -> DefaultDataBufferFactory.sharedInstance.wrap(piece.getBytes(StandardCharsets.UTF_8)));
		MockClientHttpResponse response = new MockClientHttpResponse(HttpStatus.OK);
		response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
		response.setBody(body);
		Flux<ServerSentEvent<String>> events = new ServerSentEventHttpMessageReader()
			.read(ResolvableType.forClassWithGenerics(ServerSentEvent.class, String.class), response, Map.of())
			.map((event) -> cast(event));
		return events.collectList().block(Duration.ofSeconds(5)).stream();
	}

	static Stream<ServerSentEvent<String>> decode(String raw) {
		return decode(raw, raw.length() + 1);
	}

	@SuppressWarnings("unchecked")
	private static ServerSentEvent<String> cast(Object event) {
		return (ServerSentEvent<String>) event;
	}

}
