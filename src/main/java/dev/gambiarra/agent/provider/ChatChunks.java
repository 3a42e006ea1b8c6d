package dev.gambiarra.agent.provider;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the text out of OpenAI chat-completion chunks (streamed {@code delta}s, or a whole {@code message}). */
final class ChatChunks {

	private ChatChunks() {
	}

	/** The content of one SSE {@code data:} payload; an {@code error} object becomes a {@link ProviderException}. */
	static String content(JsonMapper json, String data) {
		String trimmed = data.strip();
		if (trimmed.isEmpty()) {
			return "";
		}
		JsonNode node;
		try {
			node = json.readTree(trimmed);
		}
		catch (JacksonException ex) {
			throw new ProviderException("provider_error", "The model sent a chunk that is not JSON", false);
		}
		JsonNode error = node.get("error");
		if (error != null && !error.isNull()) {
			String message = error.isObject() ? error.path("message").asString("error") : error.asString();
			throw new ProviderException("provider_error", "The model answered with an error: " + message, false);
		}
		JsonNode choice = node.path("choices").path(0);
		JsonNode delta = choice.path("delta").path("content");
		if (delta.isString()) {
			return delta.asString();
		}
		JsonNode message = choice.path("message").path("content");
		return message.isString() ? message.asString() : "";
	}

}
