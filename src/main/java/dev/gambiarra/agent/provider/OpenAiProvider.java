package dev.gambiarra.agent.provider;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/** Any OpenAI-compatible server (and the test LLM): {@code POST {baseUrl}/chat/completions} with streaming. */
final class OpenAiProvider implements ChatProvider {

	private final WebClient client;

	private final String baseUrl;

	private final @Nullable String apiKey;

	private final String model;

	private final String label;

	private final JsonMapper json;

	OpenAiProvider(WebClient client, String baseUrl, @Nullable String apiKey, String model, String kind,
			JsonMapper json) {
		this.client = client;
		this.baseUrl = baseUrl;
		this.apiKey = apiKey;
		this.model = model;
		this.label = kind + " " + baseUrl + " (model " + model + ")";
		this.json = json;
	}

	@Override
	public String describe() {
		return this.label;
	}

	@Override
	public @Nullable String room() {
		return null;
	}

	@Override
	public Flux<String> stream(List<ChatMessage> messages) {
		return Flux.defer(() -> this.client.post()
			.uri(URI.create(this.baseUrl + "/chat/completions"))
			.headers((headers) -> {
				headers.setContentType(MediaType.APPLICATION_JSON);
				headers.setAccept(List.of(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON));
				if (this.apiKey != null && !this.apiKey.isEmpty()) {
					headers.setBearerAuth(this.apiKey);
				}
			})
			.bodyValue(body(this.json, this.model, messages))
			.retrieve()
			.bodyToFlux(String.class)
			.takeWhile((data) -> !data.strip().equals("[DONE]"))
			.map((data) -> ChatChunks.content(this.json, data)));
	}

	static ObjectNode body(JsonMapper json, String model, List<ChatMessage> messages) {
		ObjectNode body = json.createObjectNode();
		body.put("model", model);
		body.put("stream", true);
		var array = body.putArray("messages");
		for (ChatMessage message : messages) {
			array.addObject().put("role", message.role()).put("content", message.content());
		}
		return body;
	}

}
