package dev.gambiarra.agent.provider;

import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/** A model the agent can talk to. */
public interface ChatProvider {

	/** A short, secret-free label for messages and logs, such as {@code room ABC123 (model *)}. */
	String describe();

	/** The hub room the model comes from (events about the session are then room-scoped), else {@code null}. */
	@Nullable String room();

	/**
	 * Streams the assistant's answer as content deltas (possibly empty strings for chunks without text). Cold:
	 * nothing is sent before subscription; cancelling the subscription aborts the upstream request.
	 */
	Flux<String> stream(List<ChatMessage> messages);

}
