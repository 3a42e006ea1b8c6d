package dev.gambiarra.agent.client.tools;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.gambiarra.agent.client.approval.AgentConsole;
import dev.gambiarra.agent.client.approval.ApprovalPolicy;
import dev.gambiarra.agent.client.approval.Approvals;
import dev.gambiarra.agent.client.security.CommandPolicy;
import dev.gambiarra.agent.client.security.CommandRunner;
import dev.gambiarra.agent.client.security.Workspace;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A workspace in a temp folder with a tool box whose approvals are answered by a script. */
final class ToolFixture {

	static final JsonMapper JSON = JsonMapper.builder().build();

	final Path root;

	final ToolBox tools;

	final ByteArrayOutputStream printed = new ByteArrayOutputStream();

	ToolFixture(Path root, ApprovalPolicy policy, String answers) {
		this(root, policy, answers, false);
	}

	ToolFixture(Path root, ApprovalPolicy policy, String answers, boolean allowDangerous) {
		this(root, policy, answers, allowDangerous, FileLimits.defaults());
	}

	ToolFixture(Path root, ApprovalPolicy policy, String answers, boolean allowDangerous, FileLimits limits) {
		this.root = root;
		AgentConsole console = new AgentConsole(new ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)),
				new PrintStream(this.printed, true, StandardCharsets.UTF_8));
		ToolBox.Settings settings = new ToolBox.Settings(".gambiarra/backups", limits,
				CommandPolicy.DEFAULT_ALLOW, CommandPolicy.DEFAULT_DENY, allowDangerous,
				new CommandRunner(Duration.ofSeconds(20), 64 * 1024), List.of());
		this.tools = new ToolBox(Workspace.of(root), settings, new Approvals(policy, console));
	}

	/** A fixture that approves everything without asking. */
	static ToolFixture trusting(Path root) {
		return new ToolFixture(root, new ApprovalPolicy(true, true, true), "");
	}

	ToolResult run(String tool, Object... keyValues) {
		ObjectNode args = JSON.createObjectNode();
		for (int i = 0; i < keyValues.length; i += 2) {
			args.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
		}
		ObjectNode params = JSON.createObjectNode();
		params.set("args", args);
		return this.tools.execute(tool, "1.0", params);
	}

	ToolResult runJson(String tool, String paramsJson) {
		JsonNode params = JSON.readTree(paramsJson);
		return this.tools.execute(tool, "1.0", params);
	}

	String read(String rel) throws IOException {
		return Files.readString(this.root.resolve(rel));
	}

	void write(String rel, String content) throws IOException {
		Path file = this.root.resolve(rel);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

	String printed() {
		return this.printed.toString(StandardCharsets.UTF_8);
	}

}
