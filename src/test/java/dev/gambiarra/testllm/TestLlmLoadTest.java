package dev.gambiarra.testllm;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import static org.assertj.core.api.Assertions.assertThat;

/** Hundreds of concurrent 64-chunk streams, as the benchmark will use the test LLM: all complete, quickly. */
@Tag("slow")
class TestLlmLoadTest {

	private static final int STREAMS = 400;

	@Test
	void servesHundredsOfConcurrentStreams() {
		try (TestLlmServer server = TestLlmServer.start(TestLlmOptions.defaults().withChunks(64))) {
			ConnectionProvider pool = ConnectionProvider.builder("load").maxConnections(STREAMS).build();
			HttpClient client = HttpClient.create(pool).baseUrl(server.baseUrl());
			String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"load\"}],\"stream\":true}";
			for (int round = 0; round < 2; round++) {
				long start = System.nanoTime();
				List<Integer> sizes = Flux.range(0, STREAMS)
					.flatMap((i) -> client.post()
						.uri("/v1/chat/completions")
						.send((req, out) -> out.sendString(Mono.just(body)))
						.responseSingle((response, content) -> content.asString()
							.defaultIfEmpty("")
							.map((text) -> (response.status().code() == 200) ? countData(text) : -response.status().code())),
							STREAMS)
					.collectList()
					.block(Duration.ofSeconds(60));
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				assertThat(sizes).hasSize(STREAMS).allMatch((events) -> events == 1 + 64 + 1 + 1);
				System.out.printf("round %d: %d concurrent streams x 64 chunks in %d ms (%.0f chunks/s)%n", round,
						STREAMS, took.toMillis(), STREAMS * 64 / (took.toNanos() / 1e9));
			}
			pool.dispose();
		}
	}

	private static int countData(String text) {
		int count = 0;
		int index = text.indexOf("data: ");
		while (index >= 0) {
			count++;
			index = text.indexOf("data: ", index + 6);
		}
		return count;
	}

}
