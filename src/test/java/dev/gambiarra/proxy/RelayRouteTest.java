package dev.gambiarra.proxy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.HubTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relayed POSTs are served ahead of WebFlux: what the web filters and the exception handler give every other
 * route, the relay route gives them too (CORS, request ids, the body limit, the OpenAI error envelope), and requests
 * it does not take still reach WebFlux.
 */
@HubTest
class RelayRouteTest {

	@RegisterExtension
	static final FakeLlm upstream = FakeLlm.start();

	@Autowired
	WebTestClient client;

	@LocalServerPort
	int port;

	HubClient hub;

	String code;

	@BeforeEach
	void setUp() {
		upstream.reset();
		this.hub = new HubClient(this.client);
		this.code = this.hub.createRoom("route").code();
		this.hub.join(this.code, "p1", "m", upstream.endpoint());
	}

	private WebTestClient.ResponseSpec chat(String path, Object body) {
		return this.client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	@Test
	void answersCarryTheCorsHeadersAndARequestId() {
		chat("/rooms/" + this.code + "/v1/chat/completions", Map.of("model", "p1")).expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Access-Control-Allow-Origin", "*")
			.expectHeader()
			.valueEquals("Access-Control-Expose-Headers", "X-Request-Id, Retry-After")
			.expectHeader()
			.value("X-Request-Id", (id) -> assertThat(id).isNotBlank().isEqualTo(upstream.lastReceived().headers()
				.get("X-Request-Id")));
		this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", this.code)
			.header("X-Request-Id", "not a sane id")
			.bodyValue(Map.of("model", "p1"))
			.exchange()
			.expectHeader()
			.value("X-Request-Id", (id) -> assertThat(id).isNotEqualTo("not a sane id").matches("[A-Za-z0-9._:\\-]+"));
	}

	@Test
	void errorsAreInTheOpenAiEnvelopeWithCorsAndRequestId() {
		this.client.post()
			.uri("/rooms/NOPE99/v1/chat/completions")
			.header("X-Request-Id", "req-route-404")
			.bodyValue(Map.of("model", "p1"))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.valueEquals("X-Request-Id", "req-route-404")
			.expectHeader()
			.valueEquals("Access-Control-Allow-Origin", "*")
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Room not found")
			.jsonPath("$.error.type")
			.isEqualTo("not_found_error");
		chat("/rooms/" + this.code + "/v1/embeddings", "[1,2]").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Request body must be a JSON object");
		assertThat(upstream.received()).isEmpty();
	}

	@Test
	void aBodyOverTheLimitIs413WhetherDeclaredOrChunked() {
		String huge = "x".repeat(70 * 1024);
		chat("/rooms/" + this.code + "/v1/chat/completions", Map.of("model", "p1", "prompt", huge)).expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo("request_too_large");
		// No Content-Length: the limit applies while the body is read.
		Flux<byte[]> chunks = Flux.range(0, 80)
			.map((i) -> ((i == 0) ? "{\"model\":\"p1\",\"prompt\":\"" : "x".repeat(1024)).getBytes(StandardCharsets.UTF_8));
		this.client.post()
			.uri("/rooms/{code}/v1/chat/completions", this.code)
			.contentType(MediaType.APPLICATION_JSON)
			.body(chunks, byte[].class)
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("request_too_large");
		assertThat(upstream.received()).isEmpty();
		// The hub goes on serving.
		chat("/rooms/" + this.code + "/v1/chat/completions", Map.of("model", "p1")).expectStatus().isOk();
	}

	@Test
	void aQueryStringAndAnAbsoluteFormTargetAreTheSameRelay() throws Exception {
		chat("/rooms/" + this.code + "/v1/chat/completions?api-version=1", Map.of("model", "p1")).expectStatus()
			.isOk();
		assertThat(upstream.lastReceived().path()).isEqualTo("/v1/chat/completions");
		String body = "{\"model\":\"p1\"}";
		String answer = rawRequest("POST http://127.0.0.1:" + this.port + "/rooms/" + this.code
				+ "/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
		assertThat(answer).startsWith("HTTP/1.1 200").contains("chat.completion");
		assertThat(upstream.received()).hasSize(2);
	}

	@Test
	void otherMethodsAndPathsStillReachWebFlux() {
		this.client.get()
			.uri("/rooms/{code}/v1/chat/completions", this.code)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("not_found_error");
		this.client.options()
			.uri("/rooms/{code}/v1/chat/completions", this.code)
			.header("Origin", "http://example.test")
			.header("Access-Control-Request-Method", "POST")
			.exchange()
			.expectStatus()
			.isNoContent()
			.expectHeader()
			.valueEquals("Access-Control-Allow-Origin", "*");
		this.client.get()
			.uri("/rooms/{code}/v1/models", this.code)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data[0].id")
			.isEqualTo("p1");
		chat("/rooms/" + this.code + "/v1/chat/completions/", Map.of("model", "p1")).expectStatus().isNotFound();
		assertThat(upstream.received()).isEmpty();
	}

	private String rawRequest(String request) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			for (int read; (read = in.read(buffer)) >= 0;) {
				received.write(buffer, 0, read);
			}
			return received.toString(StandardCharsets.UTF_8);
		}
	}

}
