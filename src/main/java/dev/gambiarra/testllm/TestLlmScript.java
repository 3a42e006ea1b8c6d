package dev.gambiarra.testllm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.gambiarra.testllm.ScriptedTurn.ToolCall;

/**
 * Reads a script of assistant turns from JSON: either {@code {"turns":[...]}} or a bare array. Each turn has an
 * optional {@code content} and optional {@code tool_calls}, each {@code {"id","name","arguments"}} where
 * {@code arguments} is a JSON object or a string:
 *
 * <pre>
 * {"turns": [
 *   {"tool_calls": [{"id": "call_1", "name": "read_file", "arguments": {"path": "README.md"}}]},
 *   {"content": "The README says hello."}
 * ]}
 * </pre>
 */
public final class TestLlmScript {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private TestLlmScript() {
	}

	public static List<ScriptedTurn> load(Path file) throws IOException {
		return parse(Files.readString(file));
	}

	/** @throws IllegalArgumentException when the text is not a valid script */
	public static List<ScriptedTurn> parse(String json) {
		JsonNode root;
		try {
			root = JSON.readTree(json);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Script is not valid JSON: " + ex.getOriginalMessage());
		}
		JsonNode turns = root.isArray() ? root : root.path("turns");
		if (!turns.isArray()) {
			throw new IllegalArgumentException("Script must be an array of turns or an object with \"turns\"");
		}
		List<ScriptedTurn> result = new ArrayList<>();
		int index = 0;
		for (JsonNode turn : turns) {
			result.add(turn(turn, index++));
		}
		return result;
	}

	private static ScriptedTurn turn(JsonNode turn, int index) {
		JsonNode content = turn.path("content");
		List<ToolCall> calls = new ArrayList<>();
		int call = 0;
		for (JsonNode node : turn.path("tool_calls")) {
			JsonNode function = node.has("function") ? node.path("function") : node;
			String name = function.path("name").asString("");
			if (name.isEmpty()) {
				throw new IllegalArgumentException("Turn " + index + ": every tool call needs a name");
			}
			JsonNode arguments = function.path("arguments");
			String args = arguments.isString() ? arguments.asString()
					: (arguments.isMissingNode() || arguments.isNull()) ? "{}" : arguments.toString();
			String id = node.path("id").asString("call_" + index + "_" + call);
			calls.add(new ToolCall(id, name, args));
			call++;
		}
		String text = content.isString() ? content.asString() : null;
		if (text == null && calls.isEmpty()) {
			throw new IllegalArgumentException("Turn " + index + ": needs content or tool_calls");
		}
		return new ScriptedTurn(text, calls);
	}

}
