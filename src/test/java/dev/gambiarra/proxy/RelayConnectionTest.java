package dev.gambiarra.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.HubTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay on the connection's own pipeline keeps what an HTTP/1.1 server owes its clients, on a raw socket where
 * nothing smooths it over: answers in the order of the requests when a client pipelines relays and other calls,
 * {@code Expect: 100-continue}, HTTP/1.0's end of body at the connection's end, several requests on one
 * connection, and a body over the limit or malformed ending the connection after its error.
 */
@HubTest
class RelayConnectionTest {

	private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3})");

	@RegisterExtension
	static final FakeLlm upstream = FakeLlm.start();

	@Autowired
	WebTestClient client;

	@LocalServerPort
	int port;

	String code;

	@BeforeEach
	void setUp() {
		upstream.reset();
		HubClient hub = new HubClient(this.client);
		this.code = hub.createRoom("pipeline").code();
		hub.join(this.code, "p1", "m", upstream.endpoint());
	}

	@Test
	void pipelinedRequestsAreAnsweredInOrderWhoeverServesThem() throws Exception {
		upstream.on("/v1/embeddings", (request, response) -> FakeLlm.json(response, 200,
				"{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5]}]}"));
		String requests = relay("chat/completions", "{\"model\":\"p1\"}", "") + get("/health")
				+ relay("embeddings", "{\"model\":\"p1\",\"input\":\"x\"}", "") + get("/rooms/" + this.code + "/v1/models")
				+ relay("chat/completions", "{\"model\":\"p1\"}", "Connection: close\r\n");
		String answers = exchange(requests);
		assertThat(statuses(answers)).containsExactly(200, 200, 200, 200, 200);
		// Each answer where its request was: a completion, the health, the embeddings, the models, a completion.
		assertThat(order(answers, "chat.completion", "\"status\":\"ok\"", "\"embedding\":[0.5]", "\"id\":\"p1\"",
				"chat.completion"))
			.as(answers)
			.isTrue();
		assertThat(upstream.received()).extracting(FakeLlm.Received::path)
			.containsExactly("/v1/chat/completions", "/v1/embeddings", "/v1/chat/completions");
	}

	@Test
	void manyRequestsOnOneConnection() throws Exception {
		StringBuilder requests = new StringBuilder();
		for (int i = 0; i < 20; i++) {
			requests.append(relay("chat/completions", "{\"model\":\"p1\",\"n\":" + i + "}", ""));
		}
		requests.append(relay("chat/completions", "{\"model\":\"p1\"}", "Connection: close\r\n"));
		assertThat(statuses(exchange(requests.toString()))).hasSize(21).containsOnly(200);
		assertThat(upstream.received()).hasSize(21);
	}

	@Test
	void expectContinueGetsAContinueBeforeTheBodyIsSent() throws Exception {
		String body = "{\"model\":\"p1\"}";
		try (Socket socket = socket()) {
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write(ascii(head("chat/completions", body.length(), "Expect: 100-continue\r\nConnection: close\r\n")));
			out.flush();
			assertThat(readHead(in)).startsWith("HTTP/1.1 100 Continue");
			out.write(ascii(body));
			out.flush();
			String answer = readAll(in);
			assertThat(answer).startsWith("HTTP/1.1 200").contains("chat.completion");
		}
	}

	@Test
	void anHttp10ClientGetsItsAnswerAndTheConnectionsEnd() throws Exception {
		String body = "{\"model\":\"p1\"}";
		String request = "POST /rooms/" + this.code + "/v1/chat/completions HTTP/1.0\r\nHost: 127.0.0.1\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
		// readAll returns only once the hub closes the connection.
		String answer = exchange(request);
		assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close")
			.contains("chat.completion");
	}

	@Test
	void aBodyOverTheLimitClosesTheConnectionAfterThe413() throws Exception {
		// The declared length is over the 10 MB default: answered before a byte of the body is sent.
		try (Socket socket = socket()) {
			OutputStream out = socket.getOutputStream();
			out.write(ascii(head("chat/completions", 20_000_000, "")));
			out.flush();
			String answer = readAll(socket.getInputStream());
			assertThat(answer).startsWith("HTTP/1.1 413").contains("request_too_large")
				.containsIgnoringCase("connection: close");
		}
		assertThat(upstream.received()).isEmpty();
	}

	@Test
	void aMalformedChunkedBodyIs400AndTheConnectionEnds() throws Exception {
		String request = "POST /rooms/" + this.code + "/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"mod\r\nzz\r\n";
		String answer = exchange(request);
		assertThat(answer).startsWith("HTTP/1.1 400").contains("invalid_request_error")
			.containsIgnoringCase("connection: close");
		assertThat(upstream.received()).isEmpty();
	}

	private String relay(String operation, String body, String extraHeaders) {
		return head(operation, body.length(), extraHeaders) + body;
	}

	private String head(String operation, int length, String extraHeaders) {
		return "POST /rooms/" + this.code + "/v1/" + operation + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + length + "\r\n" + extraHeaders + "\r\n";
	}

	private static String get(String path) {
		return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	}

	/** Writes {@code requests} at once and reads until the hub closes the connection. */
	private String exchange(String requests) throws IOException {
		try (Socket socket = socket()) {
			socket.getOutputStream().write(ascii(requests));
			socket.getOutputStream().flush();
			return readAll(socket.getInputStream());
		}
	}

	private Socket socket() throws IOException {
		Socket socket = new Socket("127.0.0.1", this.port);
		socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
		return socket;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int next = in.read();
			assertThat(next).as("the connection ended before a whole head").isNotNegative();
			head.write(next);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	private static String readAll(InputStream in) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		for (int read; (read = in.read(buffer)) >= 0;) {
			received.write(buffer, 0, read);
		}
		return received.toString(StandardCharsets.UTF_8);
	}

	private static List<Integer> statuses(String answers) {
		List<Integer> statuses = new ArrayList<>();
		Matcher matcher = STATUS_LINE.matcher(answers);
		while (matcher.find()) {
			statuses.add(Integer.parseInt(matcher.group(1)));
		}
		return statuses;
	}

	/** Whether each of {@code markers} occurs in {@code text} after the one before it. */
	private static boolean order(String text, String... markers) {
		int from = 0;
		for (String marker : markers) {
			int at = text.indexOf(marker, from);
			if (at < 0) {
				return false;
			}
			from = at + marker.length();
		}
		return true;
	}

}
