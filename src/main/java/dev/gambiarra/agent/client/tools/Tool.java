package dev.gambiarra.agent.client.tools;

/**
 * One tool the client can run. {@link #prepare} checks the arguments (paths, ignore rules, command policy) without
 * side effects and describes what would happen, so the user approves something concrete; the returned action does
 * the work.
 */
interface Tool {

	/** The tool's wire name, e.g. {@code read_file}. */
	String name();

	/**
	 * Validates a request.
	 * @param args the request's arguments
	 * @return the prepared call
	 * @throws ToolException or {@link dev.gambiarra.agent.client.security.WorkspaceViolation} when it cannot run
	 */
	PreparedCall prepare(ToolArgs args);

}
