package dev.gambiarra.agent.tools;

/**
 * What the incremental parser found in the model's stream: prose for the user, a complete tool call, or a tool
 * call that cannot be parsed.
 */
public sealed interface ParseEvent {

	/** Text outside any tool call, safe to show. */
	record Text(String text) implements ParseEvent {
	}

	/** A syntactically complete call of a known tool: {@code <tool>…</tool>}. Not validated yet. */
	record Call(XmlElement call) implements ParseEvent {
	}

	/** A call that started but cannot be parsed; {@code message} is meant for the model. */
	record Malformed(String tool, String message) implements ParseEvent {
	}

}
