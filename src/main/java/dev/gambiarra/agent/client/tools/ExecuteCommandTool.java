package dev.gambiarra.agent.client.tools;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.gambiarra.agent.client.approval.RiskLevel;
import dev.gambiarra.agent.client.security.CommandPolicy;
import dev.gambiarra.agent.client.security.CommandRunner;

/**
 * {@code execute_command}: runs a shell command in the workspace (or a folder inside it given as {@code cwd}) after
 * the command policy allowed it: denied commands never reach the user; dangerous ones are refused unless the
 * configuration enables them, and then need a critical approval; the rest are high risk.
 */
final class ExecuteCommandTool implements Tool {

	private final WorkspaceFiles files;

	private final CommandPolicy policy;

	private final CommandRunner runner;

	private final boolean allowDangerous;

	ExecuteCommandTool(WorkspaceFiles files, CommandPolicy policy, CommandRunner runner, boolean allowDangerous) {
		this.files = files;
		this.policy = policy;
		this.runner = runner;
		this.allowDangerous = allowDangerous;
	}

	@Override
	public String name() {
		return "execute_command";
	}

	@Override
	public PreparedCall prepare(ToolArgs args) {
		String command = args.nonBlank("command");
		String cwdArg = args.optionalString("cwd");
		Path cwd = this.files.forRead(cwdArg == null || cwdArg.isBlank() ? "." : cwdArg);
		if (!Files.isDirectory(cwd)) {
			throw new ToolException("cwd is not a folder: " + cwdArg);
		}
		CommandPolicy.Verdict verdict = this.policy.check(command);
		RiskLevel risk = RiskLevel.HIGH;
		switch (verdict.outcome()) {
			case DENIED -> throw new ToolException((verdict.critical() ? "Command refused as dangerous: "
					: "Command refused by the client's security policy: ") + verdict.reason());
			case DANGEROUS -> {
				if (!this.allowDangerous) {
					throw new ToolException("Command refused as dangerous: " + verdict.reason());
				}
				risk = RiskLevel.CRITICAL;
			}
			case ALLOWED -> {
			}
		}
		String where = this.files.relative(cwd);
		String summary = "Run in " + where + ":\n  $ " + command
				+ (risk == RiskLevel.CRITICAL ? "\n  DANGEROUS: " + verdict.reason() : "");
		return new PreparedCall(risk, summary, () -> {
			CommandRunner.Result result = this.runner.run(command, cwd);
			StringBuilder out = new StringBuilder();
			if (result.timedOut()) {
				out.append("Command timed out after ").append(result.elapsed().toSeconds()).append(" s and was killed.\n");
			}
			else {
				out.append("Exit code: ").append(result.exitCode()).append('\n');
			}
			out.append(result.output().isEmpty() ? "(no output)" : result.output());
			String text = out.toString().stripTrailing();
			return (result.timedOut() || result.exitCode() != 0) ? ToolResult.error(text) : ToolResult.ok(text);
		});
	}

}
