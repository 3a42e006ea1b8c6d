package dev.gambiarra.agent;

import java.util.List;
import java.util.Map;

import dev.gambiarra.agent.tools.ParamSpec;
import dev.gambiarra.agent.tools.ToolDefinition;

/** The system prompt: who the model is, the XML tool format of the seed, the offered tools and the rules. */
final class SystemPrompt {

	private SystemPrompt() {
	}

	static String render(List<ToolDefinition> tools, boolean readOnly, Map<String, String> workspace) {
		StringBuilder out = new StringBuilder(8192);
		out.append("You are Gambiarra, a skilled software engineer working in the user's project through tools.\n");
		if (readOnly) {
			out.append("You are in ASK mode: answer questions about the code. You can read and search files but ")
				.append("cannot change anything or run commands.\n");
		}
		out.append("""

				# Tool use

				You call a tool by writing it in XML. The tool name is the outer tag, its parameters go inside <args>,
				each parameter in its own tag; a parameter may contain nested parameters:

				<tool_name>
				<args>
				<parameter>value</parameter>
				<nested_parameter>
				<sub_parameter>nested value</sub_parameter>
				</nested_parameter>
				</args>
				</tool_name>

				Rules:
				- Use exactly ONE tool per message, at the end of the message, then stop and wait for its result.
				  The result comes in the next user message. Never assume the outcome of a tool.
				- Before the tool call you may write a short explanation for the user.
				- File contents and code go in as they are; in other values write &lt; &gt; &amp; for < > &.
				- When the task is done, call attempt_completion. If you need information only the user has,
				  call ask_followup_question.
				- Paths are relative to the workspace root.

				# Tools
				""");
		for (ToolDefinition tool : tools) {
			out.append("\n## ").append(tool.name()).append('\n').append(tool.description()).append('\n');
			out.append("Parameters:\n");
			params(out, tool.params(), "- ");
			out.append("Example:\n").append(tool.example()).append('\n');
		}
		if (!workspace.isEmpty()) {
			out.append("\n# Workspace\n");
			workspace.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));
		}
		return out.toString();
	}

	private static void params(StringBuilder out, Map<String, ParamSpec> params, String indent) {
		for (Map.Entry<String, ParamSpec> entry : params.entrySet()) {
			ParamSpec spec = entry.getValue();
			out.append(indent).append(entry.getKey()).append(" (").append(spec.required() ? "required" : "optional");
			if (!spec.type().equals("string")) {
				out.append(", ").append(spec.type());
			}
			if (spec.multiple()) {
				out.append(", may repeat").append((spec.maxItems() > 0) ? " up to " + spec.maxItems() + " times" : "");
			}
			if (!spec.enumValues().isEmpty()) {
				out.append(", one of: ").append(String.join(", ", spec.enumValues()));
			}
			out.append("): ").append(spec.description()).append('\n');
			if (spec.isObject()) {
				params(out, spec.properties(), "  " + indent);
			}
		}
	}

}
