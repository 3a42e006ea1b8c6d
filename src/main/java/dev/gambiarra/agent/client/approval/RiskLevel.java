package dev.gambiarra.agent.client.approval;

import java.util.Locale;

/** How much harm a tool request can do; decides how it is approved. */
public enum RiskLevel {

	/** Reads the workspace. */
	LOW,
	/** Changes files in the workspace. */
	MEDIUM,
	/** Runs a command. */
	HIGH,
	/** A command matched a dangerous pattern: never auto-approved, never "always". */
	CRITICAL;

	/** Lower-case name as shown to people. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

}
