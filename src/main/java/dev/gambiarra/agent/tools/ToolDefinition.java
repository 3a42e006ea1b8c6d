package dev.gambiarra.agent.tools;

import java.util.Map;

/**
 * One tool the model may call, as declared in a definition file.
 *
 * @param name the XML tag the model writes
 * @param version {@code MAJOR.MINOR}; a client supports a tool when it knows its major version
 * @param risk {@code low} (reads), {@code medium} (changes files) or {@code high} (runs commands)
 * @param mutating whether the tool changes anything; the read-only "ask" mode offers only non-mutating tools
 * @param params the elements inside {@code <args>}
 * @param example a well-formed call, shown in the system prompt and in validation errors
 * @param source where the definition came from (a classpath resource or a plugin file), for logs
 */
public record ToolDefinition(String name, String version, String description, String risk, boolean mutating,
		Map<String, ParamSpec> params, String example, String source) {

	public ToolDefinition {
		params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
	}

	public int majorVersion() {
		return Integer.parseInt(this.version.substring(0, this.version.indexOf('.')));
	}

	public int minorVersion() {
		return Integer.parseInt(this.version.substring(this.version.indexOf('.') + 1));
	}

	/** Whether this definition is newer than {@code other} (same name). */
	public boolean newerThan(ToolDefinition other) {
		return (majorVersion() != other.majorVersion()) ? majorVersion() > other.majorVersion()
				: minorVersion() > other.minorVersion();
	}

	/** The schema of {@code <args>} itself, an object holding the parameters. */
	ParamSpec argsSpec() {
		return new ParamSpec("object", "", true, false, 0, false, true, java.util.List.of(), null, this.params);
	}

}
