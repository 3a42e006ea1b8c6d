package dev.gambiarra.agent.client.tools;

/** A tool request that cannot run as asked; the message goes back to the model as an error result. */
final class ToolException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	ToolException(String message) {
		super(message);
	}

}
