package dev.gambiarra.testllm;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One assistant turn of a scripted conversation: some text, some tool calls, or both.
 *
 * @param content the assistant's text, or {@code null} for a turn made only of tool calls
 * @param toolCalls tool calls the assistant makes in this turn
 */
public record ScriptedTurn(@Nullable String content, List<ToolCall> toolCalls) {

	public ScriptedTurn {
		toolCalls = List.copyOf(toolCalls);
	}

	public static ScriptedTurn text(String content) {
		return new ScriptedTurn(content, List.of());
	}

	public static ScriptedTurn toolCalls(ToolCall... calls) {
		return new ScriptedTurn(null, List.of(calls));
	}

	/** {@code tool_calls} when the turn calls tools, {@code stop} otherwise. */
	public String finishReason() {
		return this.toolCalls.isEmpty() ? "stop" : "tool_calls";
	}

	/**
	 * A function call, as OpenAI's {@code tool_calls} carry it.
	 *
	 * @param id the call id the client echoes back in its {@code tool} message
	 * @param name the function name
	 * @param arguments the arguments as a JSON string
	 */
	public record ToolCall(String id, String name, String arguments) {

	}

}
