package dev.gambiarra.agent.client.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CommandRunnerTest {

	@TempDir
	Path root;

	@Test
	void runsInTheGivenFolderWithEmptyInputAndMergedOutput() throws IOException {
		CommandRunner runner = new CommandRunner(Duration.ofSeconds(20), 4096);
		CommandRunner.Result result = runner.run("pwd; echo err 1>&2; cat; exit 3", this.root);
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.timedOut()).isFalse();
		assertThat(result.output()).contains(this.root.toRealPath().toString(), "err");
	}

	@Test
	void killsACommandThatRunsPastItsTimeoutTogetherWithItsChildren() throws IOException {
		CommandRunner runner = new CommandRunner(Duration.ofMillis(500), 4096);
		CommandRunner.Result result = runner.run("echo started; sleep 30 & sleep 30; echo never", this.root);
		assertThat(result.timedOut()).isTrue();
		assertThat(result.exitCode()).isEqualTo(-1);
		assertThat(result.output()).contains("started").doesNotContain("never");
		assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void capsTheOutputKeepingItsHeadAndTail() throws IOException {
		CommandRunner runner = new CommandRunner(Duration.ofSeconds(20), 1000);
		CommandRunner.Result result = runner.run("echo FIRST; seq 1 100000; echo LAST", this.root);
		assertThat(result.exitCode()).isZero();
		assertThat(result.truncatedBytes()).isGreaterThan(500_000);
		assertThat(result.output()).startsWith("FIRST").endsWith("LAST\n").contains("bytes of output omitted");
		assertThat(result.output().length()).isLessThan(1100);
	}

	@Test
	void scrubsSecretLookingVariables() {
		Map<String, String> env = new HashMap<>(Map.of("PATH", "/bin", "OPENAI_API_KEY", "sk", "GITHUB_TOKEN", "t",
				"db_password", "p", "AWS_SECRET_ACCESS_KEY", "s", "HOME", "/h"));
		CommandRunner.scrub(env);
		assertThat(env).containsOnlyKeys("PATH", "HOME", "GAMBIARRA_AGENT");
	}

	@Test
	void theChildProcessSeesTheScrubbedEnvironment() throws IOException {
		Files.writeString(this.root.resolve("show.sh"), "env\n");
		CommandRunner runner = new CommandRunner(Duration.ofSeconds(20), 65536);
		CommandRunner.Result result = runner.run("sh show.sh", this.root);
		assertThat(result.output()).contains("GAMBIARRA_AGENT=1");
		assertThat(result.output()).doesNotContainPattern("(?m)^[A-Z_]*(TOKEN|SECRET|PASSWORD|API_KEY)[A-Z_]*=");
	}

}
