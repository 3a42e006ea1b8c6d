package dev.gambiarra.agent.client.security;

/**
 * A request that would leave the workspace or touch a protected file. Its message is safe to send back to the model.
 */
public final class WorkspaceViolation extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public WorkspaceViolation(String path, String reason) {
		super("Access denied for '" + path + "': " + reason);
	}

}
