package dev.gambiarra.agent.provider;

import org.jspecify.annotations.Nullable;

/**
 * What a client asks for in {@code session.start}: a {@code room} of this hub, an {@code openai}-compatible server
 * or the {@code test} LLM. Holds secrets; {@link #toString()} leaves them out.
 */
public record ProviderSpec(String kind, @Nullable String room, @Nullable String model, @Nullable String password,
		@Nullable String baseUrl, @Nullable String apiKey) {

	@Override
	public String toString() {
		return "ProviderSpec[kind=" + this.kind + ", room=" + this.room + ", model=" + this.model + ", baseUrl="
				+ this.baseUrl + "]";
	}

}
