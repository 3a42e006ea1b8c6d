package dev.gambiarra.metrics;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

import static org.assertj.core.api.Assertions.assertThat;

class CompletionScannerTest {

	private static String chunk(String content) {
		return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
				+ "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";
	}

	private static final String ROLE_CHUNK = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,"
			+ "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n";

	private static final String USAGE_CHUNK = "data: {\"id\":\"c1\",\"choices\":[],"
			+ "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":42,\"total_tokens\":54}}\n\n";

	private static final String DONE = "data: [DONE]\n\n";

	@Test
	void countsNonEmptyContentChunksWhenTheStreamHasNoUsage() {
		CompletionScanner scanner = new CompletionScanner();
		assertThat(scanner.scan(bytes(ROLE_CHUNK))).as("an empty first delta is no token").isFalse();
		assertThat(scanner.scan(bytes(chunk("Hello")))).isTrue();
		assertThat(scanner.scan(bytes(chunk(" world")))).isTrue();
		assertThat(scanner.scan(bytes(DONE))).isFalse();
		assertThat(scanner.contentValues()).isEqualTo(2);
		assertThat(scanner.completionTokens()).isEqualTo(-1);
		assertThat(scanner.tokens()).isEqualTo(2);
	}

	@Test
	void prefersTheUsageOfTheLastChunk() {
		CompletionScanner scanner = new CompletionScanner();
		scanner.scan(bytes(chunk("a") + chunk("b") + chunk("c")));
		scanner.scan(bytes("data: {\"choices\":[],\"usage\":null}\n\n"));
		scanner.scan(bytes(USAGE_CHUNK + DONE));
		assertThat(scanner.contentValues()).isEqualTo(3);
		assertThat(scanner.completionTokens()).isEqualTo(42);
		assertThat(scanner.tokens()).isEqualTo(42);
	}

	@Test
	void readsTheUsageOfANonStreamedAnswerEvenPrettyPrinted() {
		String body = "{\n  \"id\": \"c1\",\n  \"choices\": [ { \"message\": { \"role\": \"assistant\",\n"
				+ "    \"content\" : \"Hi there\" } } ],\n  \"usage\": { \"prompt_tokens\": 3,\n"
				+ "    \"completion_tokens\" :\t17, \"total_tokens\": 20 }\n}";
		CompletionScanner scanner = new CompletionScanner();
		assertThat(scanner.scan(bytes(body))).isTrue();
		assertThat(scanner.tokens()).isEqualTo(17);
	}

	@Test
	void findsValuesSplitAcrossBufferBoundariesAtEveryPosition() {
		String stream = ROLE_CHUNK + chunk("He") + chunk("llo") + chunk("\\\"quoted\\\"") + USAGE_CHUNK + DONE;
		byte[] all = bytes(stream);
		for (int cut = 1; cut < all.length; cut++) {
			CompletionScanner scanner = new CompletionScanner();
			byte[] first = new byte[cut];
			byte[] second = new byte[all.length - cut];
			System.arraycopy(all, 0, first, 0, cut);
			System.arraycopy(all, cut, second, 0, second.length);
			scanner.scan(first);
			scanner.scan(second);
			assertThat(scanner.contentValues()).as("cut at %d", cut).isEqualTo(3);
			assertThat(scanner.completionTokens()).as("cut at %d", cut).isEqualTo(42);
		}
	}

	@Test
	void findsValuesFedOneByteAtATime() {
		byte[] all = bytes(chunk("x") + chunk("y") + USAGE_CHUNK);
		CompletionScanner scanner = new CompletionScanner();
		for (byte b : all) {
			scanner.scan(new byte[] { b });
		}
		assertThat(scanner.contentValues()).isEqualTo(2);
		assertThat(scanner.tokens()).isEqualTo(42);
	}

	@Test
	void ignoresKeyLikeWordsInsideGeneratedText() {
		String tricky = chunk("\\\"content\\\":\\\"x\\\" and \\\"completion_tokens\\\":99")
				+ "data: {\"choices\":[{\"delta\":{\"content\":\"content\"}}]}\n\n"
				+ "data: {\"note\":\"completion_tokens\",\"content\":null,\"text\":\"\"}\n\n";
		CompletionScanner scanner = new CompletionScanner();
		scanner.scan(bytes(tricky));
		assertThat(scanner.contentValues()).isEqualTo(2);
		assertThat(scanner.completionTokens()).isEqualTo(-1);
	}

	@Test
	void countsTextCompletionsReasoningAndToolArguments() {
		String stream = "data: {\"choices\":[{\"text\":\"Once\"}]}\n\n"
				+ "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"Hmm\"}}]}\n\n"
				+ "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n";
		CompletionScanner scanner = new CompletionScanner();
		scanner.scan(bytes(stream));
		assertThat(scanner.contentValues()).isEqualTo(3);
	}

	@Test
	void recoversAfterATruncatedLine() {
		CompletionScanner scanner = new CompletionScanner();
		scanner.scan(bytes("data: {\"choices\":[{\"delta\":{\"content\":\"cut off here\n\n"));
		scanner.scan(bytes(chunk("next")));
		assertThat(scanner.contentValues()).isEqualTo(2);
	}

	@Test
	void readsDataBuffersInPlaceWithoutMovingOrReleasingThem() {
		NettyDataBufferFactory factory = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT);
		DataBuffer buffer = factory.allocateBuffer(256);
		buffer.write(bytes("xx" + chunk("Hi") + USAGE_CHUNK));
		buffer.readPosition(2);
		int readable = buffer.readableByteCount();
		CompletionScanner scanner = new CompletionScanner();
		assertThat(scanner.scan(buffer)).isTrue();
		assertThat(buffer.readPosition()).isEqualTo(2);
		assertThat(buffer.readableByteCount()).isEqualTo(readable);
		assertThat(scanner.tokens()).isEqualTo(42);
		assertThat(DataBufferUtils.release(buffer)).as("still ours to release").isTrue();

		DataBuffer heap = DefaultDataBufferFactory.sharedInstance.wrap(bytes(chunk("A")));
		assertThat(new CompletionScanner().scan(heap)).isTrue();

		String twoChunks = chunk("one") + chunk("two");
		int cut = twoChunks.indexOf("\"content\"") + 4;
		DataBuffer composite = factory.wrap(Unpooled.wrappedBuffer(
				Unpooled.wrappedBuffer(bytes(twoChunks.substring(0, cut))),
				Unpooled.wrappedBuffer(bytes(twoChunks.substring(cut)))));
		CompletionScanner split = new CompletionScanner();
		assertThat(split.scan(composite)).as("a key cut between two parts of one buffer").isTrue();
		assertThat(split.contentValues()).isEqualTo(2);
	}

	@Test
	void readsDirectBuffersLargerThanOneCopyAndArraysAtAnOffset() {
		StringBuilder answer = new StringBuilder();
		for (int i = 0; i < 300; i++) {
			// Long generated values with escapes and key-like words: only the 300 values count.
			answer.append(chunk("token " + i + " \\\"content\\\": \\\"completion_tokens\\\":7 and more text"));
		}
		answer.append(USAGE_CHUNK.replace("42", "300"));
		byte[] bytes = bytes(answer.toString());
		assertThat(bytes.length).as("more than one per-thread copy").isGreaterThan(3 * 4096);

		DataBuffer direct = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT).allocateBuffer(bytes.length);
		direct.write(bytes);
		CompletionScanner scanner = new CompletionScanner();
		assertThat(scanner.scan(direct)).isTrue();
		assertThat(scanner.contentValues()).isEqualTo(300);
		assertThat(scanner.completionTokens()).isEqualTo(300);
		DataBufferUtils.release(direct);

		byte[] padded = new byte[bytes.length + 10];
		System.arraycopy(bytes, 0, padded, 7, bytes.length);
		padded[0] = '"';
		DataBuffer slice = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT)
			.wrap(Unpooled.wrappedBuffer(padded, 7, bytes.length));
		CompletionScanner atOffset = new CompletionScanner();
		atOffset.scan(slice);
		assertThat(atOffset.contentValues()).isEqualTo(300);
		assertThat(atOffset.completionTokens()).isEqualTo(300);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
