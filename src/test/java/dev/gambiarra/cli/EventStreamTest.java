package dev.gambiarra.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.HttpMethod;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code chat} and {@code monitor} read event streams as the SSE spec says, not line by line: {@code data:} lines
 * of one event are joined with a newline, the event type resets to {@code message} after each event, comments
 * (heartbeats) are skipped, and CRLF line ends work. Each stream is served byte for byte by a fake hub, in pieces
 * that cut lines in two, and read through the commands' real HTTP client.
 */
class EventStreamTest {

	private static final CliProperties PROPERTIES = new CliProperties("http://localhost:3000", Duration.ofSeconds(2),
			Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2),
			Duration.ofSeconds(30));

	private static final CliHttp HTTP = new CliHttp(PROPERTIES);

	private DisposableServer hub;

	private final StringWriter output = new StringWriter();

	@AfterEach
	void stop() {
		if (this.hub != null) {
			this.hub.disposeNow(Duration.ofSeconds(5));
		}
	}

	@Test
	void chatJoinsMultiLineDataOfOneEvent() {
		serve("data: {\"choices\":[{\"delta\":\ndata: {\"content\":\"Hel\"}}]}\n\n" + chunk("lo") + "data: [DONE]\n\n");
		chat();
		assertThat(this.output.toString()).isEqualTo("Hello\n");
	}

	@Test
	void chatResetsTheEventTypeAfterEachEvent() {
		// An "error" type on an event with no data is not dispatched, and must not stick to the events after it.
		serve("event: error\n\n" + chunk("still ") + "event: progress\ndata: {\"note\":1}\n\n" + chunk("fine")
				+ "data: [DONE]\n\n");
		chat();
		assertThat(this.output.toString()).isEqualTo("still fine\n");
	}

	@Test
	void chatSkipsCommentsAndHeartbeatsAndReadsCrlf() {
		serve((":connected\n\n" + chunk("a") + ": heartbeat\n\n" + chunk("b") + ":\n\n" + "data: [DONE]\n\n")
			.replace("\n", "\r\n"));
		chat();
		assertThat(this.output.toString()).isEqualTo("ab\n");
	}

	@Test
	void chatStillFailsOnAnErrorEventAndOnAStreamWithoutDone() {
		serve(chunk("Hel") + "event: error\r\ndata: {\"error\":\r\ndata: {\"message\":\"upstream died\"}}\r\n\r\n");
		assertThatThrownBy(this::chat).hasMessage("The answer failed midway: upstream died");
		assertThat(this.output.toString()).isEqualTo("Hel\n");
		this.hub.disposeNow();
		serve(chunk("Hel"));
		assertThatThrownBy(this::chat).hasMessage("The answer was cut off: the stream ended without [DONE]");
	}

	@Test
	void monitorReadsMultiLineEventsWithResetTypesCommentsAndCrlf() {
		String events = "event: connected\ndata: {\"clientId\":\"c1\"}\n\n"
				+ "event: participant:joined\ndata: {\"id\":\"p1\",\"nickname\":\"carol\",\ndata: \"model\":\"phi\","
				+ "\"status\":\"online\"}\n\n"
				+ ": heartbeat\n\n"
				// No event type: a plain "message", not a second participant:joined.
				+ "data: {\"id\":\"p2\",\"nickname\":\"zed\",\"model\":\"zzz\"}\n\n"
				+ "event: room:closed\ndata: {}\n\n";
		serve(events.replace("\n", "\r\n"));
		Commands.of(PROPERTIES, HTTP, false).monitor("ABC123", null, true, 0, url(), context(this.output));
		String text = this.output.toString();
		assertThat(text).contains("participant:joined  carol", "  message", "room:closed", "Room ABC123 was closed.");
		String lastFrame = text.substring(text.lastIndexOf("----\n"));
		assertThat(lastFrame).containsPattern("carol +phi +online").doesNotContain("zed");
	}

	@Test
	void aStalledAnswerOrEventStreamEndsAtItsTimeout() {
		CliProperties quick = new CliProperties("http://localhost:3000", Duration.ofSeconds(2), Duration.ofSeconds(5),
				Duration.ofMillis(800), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMillis(800));
		serveThenStall(chunk("Hel"), "event: connected\ndata: {}\n\n");
		long start = System.nanoTime();
		assertThatThrownBy(() -> Commands.of(quick, HTTP, false)
			.chat("ABC123", "hi", "*", null, null, true, url(), context(this.output)))
			.hasMessage("The answer took longer than 0.8 s (gambiarra.cli.stream-timeout)");
		assertThat(this.output.toString()).isEqualTo("Hel\n");
		assertThatThrownBy(() -> Commands.of(quick, HTTP, false)
			.monitor("ABC123", null, true, 0, url(), context(new StringWriter())))
			.hasMessage("Lost the event stream of room ABC123 (no event or heartbeat for 0.8 s)");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void theDecoderSeesEventsNotLines() {
		String raw = "event: a\r\ndata: 1\r\ndata: 2\r\n\r\n: comment\r\n\r\ndata: 3\r\n\r\n";
		List<String> events = SseDecoding.decode(raw, 3)
			.filter((event) -> event.data() != null)
			.map((event) -> event.event() + "=" + event.data())
			.collect(Collectors.toList());
		assertThat(events).containsExactly("a=1\n2", "null=3");
	}

	private void chat() {
		ChatCommand.relay(HTTP.at(url())
			.events(HttpMethod.POST, "/rooms/ABC123/v1/chat/completions", "{}", null,
					"chat in room ABC123")
			.toStream(), new PrintWriter(this.output, true));
	}

	/** One OpenAI chunk event carrying {@code content}. */
	private static String chunk(String content) {
		return "data: {\"choices\":[{\"delta\":{\"content\":\"" + content + "\"}}]}\n\n";
	}

	/** A hub whose chat and event routes answer {@code stream} in 7-byte pieces, and an empty participant list. */
	private void serve(String stream) {
		byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
		Flux<byte[]> pieces = Flux.range(0, (bytes.length + 6) / 7)
			.map((i) -> Arrays.copyOfRange(bytes, i * 7, Math.min(bytes.length, (i + 1) * 7)))
			.delayElements(Duration.ofMillis(1));
		start(pieces, pieces);
	}

	/** A hub that sends the start of its answer and of its event stream, then nothing, holding both open. */
	private void serveThenStall(String answer, String events) {
		start(Flux.concat(Mono.just(answer.getBytes(StandardCharsets.UTF_8)), Flux.never()),
				Flux.concat(Mono.just(events.getBytes(StandardCharsets.UTF_8)), Flux.never()));
	}

	private void start(Flux<byte[]> answer, Flux<byte[]> events) {
		this.hub = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.post("/rooms/{code}/v1/chat/completions",
						(request, response) -> response.header("Content-Type", "text/event-stream")
							.sendByteArray(answer))
				.get("/rooms/{code}/events",
						(request, response) -> response.header("Content-Type", "text/event-stream")
							.sendByteArray(events))
				.get("/rooms/{code}/participants", (request, response) -> response
					.header("Content-Type", "application/json")
					.sendString(Mono.just("{\"participants\":[]}"))))
			.bindNow(Duration.ofSeconds(10));
	}

	private String url() {
		return "http://127.0.0.1:" + this.hub.port();
	}

	private static CommandContext context(Writer writer) {
		return new CommandContext(new ParsedInput("test", List.of(), List.of(), List.of()), new CommandRegistry(),
				new PrintWriter(writer, true), new InputReader() {
				});
	}

}
