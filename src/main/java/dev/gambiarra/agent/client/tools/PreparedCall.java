package dev.gambiarra.agent.client.tools;

import java.io.IOException;

import dev.gambiarra.agent.client.approval.RiskLevel;

/**
 * A checked request waiting for approval.
 *
 * @param risk how it is approved
 * @param summary what the user is shown
 * @param action the work, run only once approved
 */
record PreparedCall(RiskLevel risk, String summary, Action action) {

	/** The work of a prepared call. */
	@FunctionalInterface
	interface Action {

		ToolResult run() throws IOException;

	}

}
