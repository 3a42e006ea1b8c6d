package dev.gambiarra.agent.client.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gambiarra.agent.client.approval.Approvals;
import dev.gambiarra.agent.client.security.CommandPolicy;
import dev.gambiarra.agent.client.security.CommandRunner;
import dev.gambiarra.agent.client.security.IgnoreRules;
import dev.gambiarra.agent.client.security.Workspace;
import dev.gambiarra.agent.client.security.WorkspaceViolation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Runs tool requests: checks the arguments, asks for approval by risk level, runs the tool and turns every outcome
 * (a refusal, a denial, an exception) into a {@link ToolResult} for the model. Blocking: call it from the CLI thread
 * or {@code boundedElastic}.
 */
public final class ToolBox {

	private static final Logger logger = LoggerFactory.getLogger(ToolBox.class);

	/** Tools that only read; the only ones offered in {@code ask} mode. */
	public static final Set<String> READ_ONLY = Set.of("read_file", "list_files", "search_files",
			"list_code_definition_names");

	private final Map<String, Tool> tools = new LinkedHashMap<>();

	private final Approvals approvals;

	private final Workspace workspace;

	/**
	 * Settings of the tool box.
	 *
	 * @param backupDir folder for backups relative to the workspace; null or blank turns backups off
	 * @param limits read and listing bounds
	 * @param allow programs commands may run ({@code *} = any not denied)
	 * @param deny programs commands may never run
	 * @param allowDangerous whether dangerous commands may run after a critical approval
	 * @param runner runs commands (timeout and output cap)
	 * @param extraIgnore ignore patterns added to the defaults and the workspace's file
	 */
	public record Settings(@Nullable String backupDir, FileLimits limits, List<String> allow, List<String> deny,
			boolean allowDangerous, CommandRunner runner, List<String> extraIgnore) {
	}

	public ToolBox(Workspace workspace, Settings settings, Approvals approvals) {
		this.approvals = approvals;
		this.workspace = workspace;
		IgnoreRules ignore = IgnoreRules.load(workspace.root(), settings.extraIgnore());
		WorkspaceFiles files = new WorkspaceFiles(workspace, ignore, settings.backupDir(), settings.limits());
		CommandPolicy policy = new CommandPolicy(workspace, ignore, settings.allow(), settings.deny());
		register(new ReadFileTool(files));
		register(new ListFilesTool(files));
		register(new SearchFilesTool(files));
		register(new ListCodeDefinitionsTool(files));
		register(new WriteToFileTool(files));
		register(new SearchAndReplaceTool(files));
		register(new InsertContentTool(files));
		register(new ExecuteCommandTool(files, policy, settings.runner(), settings.allowDangerous()));
	}

	private void register(Tool tool) {
		this.tools.put(tool.name(), tool);
	}

	/** The workspace's real path. */
	public Path workspaceRoot() {
		return this.workspace.root();
	}

	/** Names of the tools this client runs. */
	public Set<String> names() {
		return this.tools.keySet();
	}

	/**
	 * Runs one request end to end.
	 * @param toolName the tool
	 * @param version the tool definition's version ({@code MAJOR.MINOR}); only major version 1 is supported
	 * @param params the request's params (nested form, {@code args} inside)
	 * @return the result for the model
	 */
	public ToolResult execute(String toolName, @Nullable String version, JsonNode params) {
		Tool tool = this.tools.get(toolName);
		if (tool == null) {
			return ToolResult.error("This client does not support the tool '" + toolName + "'");
		}
		if (version != null && !version.isBlank() && !version.strip().startsWith("1.") && !version.strip().equals("1")) {
			return ToolResult.error("This client supports " + toolName + " version 1.x, not " + version);
		}
		PreparedCall call;
		try {
			call = tool.prepare(ToolArgs.of(params));
		}
		catch (ToolException | WorkspaceViolation ex) {
			logger.debug("Refused {}: {}", toolName, ex.getMessage());
			return ToolResult.error(ex.getMessage());
		}
		Approvals.Decision decision = this.approvals.decide(toolName, call.risk(), call.summary());
		if (!decision.approved()) {
			return ToolResult.denied(decision.feedback());
		}
		try {
			return call.action().run();
		}
		catch (ToolException | WorkspaceViolation ex) {
			return ToolResult.error(ex.getMessage());
		}
		catch (IOException ex) {
			return ToolResult.error(toolName + " failed: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.warn("Tool {} failed", toolName, ex);
			return ToolResult.error(toolName + " failed: " + ex.getClass().getSimpleName());
		}
	}

}
