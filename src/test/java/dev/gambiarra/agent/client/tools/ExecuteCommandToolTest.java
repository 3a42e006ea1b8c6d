package dev.gambiarra.agent.client.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gambiarra.agent.client.approval.ApprovalPolicy;

import static org.assertj.core.api.Assertions.assertThat;

class ExecuteCommandToolTest {

	@TempDir
	Path root;

	@Test
	void runsAnAllowedCommandInTheWorkspace() throws IOException {
		Files.createDirectories(this.root.resolve("sub"));
		ToolFixture fx = ToolFixture.trusting(this.root);
		ToolResult result = fx.run("execute_command", "command", "pwd && echo made > made.txt && ls");
		assertThat(result.status()).isEqualTo(ToolResult.Status.OK);
		assertThat(result.output()).startsWith("Exit code: 0").contains(this.root.toRealPath().toString(), "made.txt");
		assertThat(fx.read("made.txt")).isEqualTo("made\n");
		ToolResult inSub = fx.run("execute_command", "command", "pwd", "cwd", "sub");
		assertThat(inSub.output()).contains(this.root.toRealPath().resolve("sub").toString());
	}

	@Test
	void reportsAFailingCommandAsAnError() {
		ToolResult result = ToolFixture.trusting(this.root).run("execute_command", "command", "ls no-such-file");
		assertThat(result.status()).isEqualTo(ToolResult.Status.ERROR);
		assertThat(result.output()).startsWith("Exit code: 2").contains("no-such-file");
	}

	@Test
	void refusesDeniedAndDangerousCommandsWithoutAskingTheUser() {
		ToolFixture fx = new ToolFixture(this.root, ApprovalPolicy.askAlways(), "y\ny\ny\n");
		ToolResult denied = fx.run("execute_command", "command", "ssh me@host");
		assertThat(denied.status()).isEqualTo(ToolResult.Status.ERROR);
		assertThat(denied.output()).startsWith("Command refused by the client's security policy").contains("deny-list");
		ToolResult dangerous = fx.run("execute_command", "command", "rm -rf *");
		assertThat(dangerous.output()).startsWith("Command refused as dangerous").contains("recursive delete");
		ToolResult escape = fx.run("execute_command", "command", "pwd", "cwd", "..");
		assertThat(escape.output()).startsWith("Access denied");
		assertThat(fx.printed()).doesNotContain("Approve?");
	}

	@Test
	void aDangerousCommandNeedsACriticalApprovalWhenEnabledAndNeverRunsAutomatically() throws IOException {
		Files.writeString(this.root.resolve("keep.txt"), "x");
		ToolFixture fx = new ToolFixture(this.root, new ApprovalPolicy(true, true, true), "a\nn\n", true);
		ToolResult result = fx.run("execute_command", "command", "rm -rf *");
		assertThat(result.status()).isEqualTo(ToolResult.Status.DENIED);
		assertThat(fx.printed()).contains("risk: critical", "DANGEROUS: recursive delete",
				"A critical request cannot be approved for always");
		assertThat(this.root.resolve("keep.txt")).exists();
	}

	@Test
	void aUserDenialGoesBackToTheModelWithTheFeedback() throws IOException {
		ToolFixture fx = new ToolFixture(this.root, ApprovalPolicy.askAlways(), "n run the tests with make instead\n");
		ToolResult result = fx.run("execute_command", "command", "echo hi > x.txt");
		assertThat(result.status()).isEqualTo(ToolResult.Status.DENIED);
		assertThat(result.feedback()).isEqualTo("run the tests with make instead");
		assertThat(result.output()).contains("The user denied this operation and said: run the tests with make instead");
		assertThat(this.root.resolve("x.txt")).doesNotExist();
	}

}
