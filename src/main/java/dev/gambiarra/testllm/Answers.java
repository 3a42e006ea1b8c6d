package dev.gambiarra.testllm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import tools.jackson.databind.JsonNode;

/** Deterministic content: the same prompt and settings always give the same answer, chunks and vectors. */
final class Answers {

	private static final int MAX_ECHO = 200;

	private static final String[] FILLER = "and that is all the test LLM has to say about it".split(" ");

	private Answers() {
	}

	/** The answer to a chat: a greeting that echoes the last user message. */
	static String chatAnswer(JsonNode messages) {
		String last = "";
		for (JsonNode message : messages) {
			if ("user".equals(message.path("role").asString(""))) {
				last = text(message.path("content"));
			}
		}
		return answerTo(last);
	}

	static String answerTo(String prompt) {
		String echo = prompt.strip().replaceAll("\\s+", " ");
		if (echo.length() > MAX_ECHO) {
			echo = echo.substring(0, MAX_ECHO) + "…";
		}
		return echo.isEmpty() ? "Hello from the Gambiarra test LLM!"
				: "Hello from the Gambiarra test LLM! You said: " + echo;
	}

	/** Message content as text: a string, or the text parts of an array of parts. */
	static String text(JsonNode content) {
		if (content.isString()) {
			return content.asString();
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode part : content) {
			if (part.isString()) {
				text.append(part.asString()).append(' ');
			}
			else if (part.has("text")) {
				text.append(part.path("text").asString("")).append(' ');
			}
		}
		return text.toString().strip();
	}

	/**
	 * Splits an answer into chunks that concatenate back to it: one per word when {@code chunks} is 0, else exactly
	 * {@code chunks}, padding with filler words when the answer is shorter.
	 */
	static List<String> chunks(String answer, int chunks) {
		List<String> words = words(answer);
		if (chunks <= 0) {
			return words.isEmpty() ? List.of("") : words;
		}
		List<String> tokens = new ArrayList<>(words);
		for (int i = 0; tokens.size() < chunks; i++) {
			tokens.add(" " + FILLER[i % FILLER.length]);
		}
		List<String> result = new ArrayList<>(chunks);
		int per = tokens.size() / chunks;
		int extra = tokens.size() % chunks;
		int index = 0;
		for (int c = 0; c < chunks; c++) {
			int take = per + ((c < extra) ? 1 : 0);
			StringBuilder chunk = new StringBuilder();
			for (int t = 0; t < take; t++) {
				chunk.append(tokens.get(index++));
			}
			result.add(chunk.toString());
		}
		return result;
	}

	/** Words with their leading space kept, so that joining them gives back the text. */
	static List<String> words(String text) {
		List<String> words = new ArrayList<>();
		int start = 0;
		for (int i = 1; i <= text.length(); i++) {
			if (i == text.length() || text.charAt(i) == ' ') {
				words.add(text.substring(start, i));
				start = i;
			}
		}
		return words;
	}

	/** A rough token count: words. */
	static int tokens(String text) {
		String stripped = text.strip();
		return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
	}

	static int promptTokens(JsonNode messages) {
		int count = 0;
		for (JsonNode message : messages) {
			count += tokens(text(message.path("content")));
		}
		return count;
	}

	/** A unit-length vector seeded by the CRC32 of the text. */
	static double[] embedding(String text, int dimensions) {
		CRC32 crc = new CRC32();
		crc.update(text.getBytes(StandardCharsets.UTF_8));
		SplittableRandom random = new SplittableRandom(crc.getValue());
		double[] vector = new double[dimensions];
		double norm = 0;
		for (int i = 0; i < dimensions; i++) {
			vector[i] = random.nextDouble() * 2 - 1;
			norm += vector[i] * vector[i];
		}
		norm = Math.sqrt(norm);
		for (int i = 0; i < dimensions; i++) {
			vector[i] = Math.round(vector[i] / norm * 1e6) / 1e6;
		}
		return vector;
	}

	/** A stable id for a response, derived from its content. */
	static String id(String prefix, String seed) {
		CRC32 crc = new CRC32();
		crc.update(seed.getBytes(StandardCharsets.UTF_8));
		return prefix + Long.toHexString(crc.getValue());
	}

}
