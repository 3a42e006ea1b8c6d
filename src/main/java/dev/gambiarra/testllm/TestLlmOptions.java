package dev.gambiarra.testllm;

import java.time.Duration;
import java.util.List;

/**
 * How a {@link TestLlmServer} behaves. Start from {@link #defaults()} and change what you need.
 *
 * @param host address to bind ({@code 127.0.0.1} by default)
 * @param port port to bind, {@code 0} for a free one
 * @param models model names it serves ({@code /v1/models}, {@code /api/tags}); the first is the default
 * @param chunks content chunks per streamed answer; {@code 0} means one chunk per word
 * @param delay pause before each streamed chunk
 * @param embeddingDimensions length of each embedding vector
 * @param script assistant turns replayed in order by chat completions; empty means echo mode
 */
public record TestLlmOptions(String host, int port, List<String> models, int chunks, Duration delay,
		int embeddingDimensions, List<ScriptedTurn> script) {

	public TestLlmOptions {
		if (models.isEmpty()) {
			throw new IllegalArgumentException("At least one model is required");
		}
		if (chunks < 0 || chunks > 100_000) {
			throw new IllegalArgumentException("chunks must be between 0 and 100000");
		}
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative");
		}
		if (embeddingDimensions < 1 || embeddingDimensions > 8192) {
			throw new IllegalArgumentException("embeddingDimensions must be between 1 and 8192");
		}
		models = List.copyOf(models);
		script = List.copyOf(script);
	}

	/** Loopback, a free port, model {@code test-llm}, one chunk per word, no delay, 8-dimension embeddings. */
	public static TestLlmOptions defaults() {
		return new TestLlmOptions("127.0.0.1", 0, List.of("test-llm"), 0, Duration.ZERO, 8, List.of());
	}

	public TestLlmOptions withHost(String newHost) {
		return new TestLlmOptions(newHost, this.port, this.models, this.chunks, this.delay, this.embeddingDimensions,
				this.script);
	}

	public TestLlmOptions withPort(int newPort) {
		return new TestLlmOptions(this.host, newPort, this.models, this.chunks, this.delay, this.embeddingDimensions,
				this.script);
	}

	public TestLlmOptions withModels(List<String> newModels) {
		return new TestLlmOptions(this.host, this.port, newModels, this.chunks, this.delay, this.embeddingDimensions,
				this.script);
	}

	public TestLlmOptions withChunks(int newChunks) {
		return new TestLlmOptions(this.host, this.port, this.models, newChunks, this.delay, this.embeddingDimensions,
				this.script);
	}

	public TestLlmOptions withDelay(Duration newDelay) {
		return new TestLlmOptions(this.host, this.port, this.models, this.chunks, newDelay, this.embeddingDimensions,
				this.script);
	}

	public TestLlmOptions withEmbeddingDimensions(int dimensions) {
		return new TestLlmOptions(this.host, this.port, this.models, this.chunks, this.delay, dimensions, this.script);
	}

	public TestLlmOptions withScript(List<ScriptedTurn> turns) {
		return new TestLlmOptions(this.host, this.port, this.models, this.chunks, this.delay, this.embeddingDimensions,
				turns);
	}

}
