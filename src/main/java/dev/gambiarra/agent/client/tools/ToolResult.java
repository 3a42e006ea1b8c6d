package dev.gambiarra.agent.client.tools;

import java.util.Locale;

/**
 * What goes back to the model for one tool request.
 *
 * @param status ok, error (the tool ran and failed, or the request was refused by policy) or denied (the user said
 * no)
 * @param output text for the model
 * @param feedback the user's words when denying (may be empty)
 */
public record ToolResult(Status status, String output, String feedback) {

	/** The wire values of {@code tool.result.status}. */
	public enum Status {

		OK, ERROR, DENIED;

		/** The wire spelling. */
		public String wire() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	public static ToolResult ok(String output) {
		return new ToolResult(Status.OK, output, "");
	}

	public static ToolResult error(String output) {
		return new ToolResult(Status.ERROR, output, "");
	}

	public static ToolResult denied(String feedback) {
		String output = feedback.isBlank() ? "The user denied this operation."
				: "The user denied this operation and said: " + feedback;
		return new ToolResult(Status.DENIED, output, feedback);
	}

}
