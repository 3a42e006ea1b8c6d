package dev.gambiarra.agent.client.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class IgnoreRulesTest {

	@ParameterizedTest(name = "{0} dir={1} -> {2}")
	@CsvSource({ ".git, true, true", ".git/config, false, true", "sub/.git/HEAD, false, true", ".env, false, true",
			".env.local, false, true", "config/prod.env, false, true", "certs/server.pem, false, true",
			"home/.ssh/id_rsa, false, true", "id_rsa.pub, false, true", "id_ed25519, false, true",
			"keys/app.p12, false, true", ".gambiarra/backups/x, false, true", ".ENV, false, true",
			"Certs/SERVER.PEM, false, true", "src/App.java, false, false", "README.md, false, false",
			"environment.ts, false, false", "src/env/config.ts, false, false", ".gitignore, false, false",
			".github/workflows/ci.yml, false, false" })
	void defaultsHideSecretsAndVcsInternals(String path, boolean directory, boolean ignored) {
		IgnoreRules rules = IgnoreRules.parse(IgnoreRules.DEFAULTS);
		assertThat(rules.isIgnored(path, directory)).isEqualTo(ignored);
	}

	@Test
	void supportsGitignoreSyntax() {
		IgnoreRules rules = IgnoreRules.parse(List.of("# comment", "", "*.log", "!keep.log", "/build/", "docs/**/*.tmp",
				"**/generated", "a?c.txt", "data[0-9].csv", "secret\\ file.txt", "\\#hash", "logs/", "/root-only.txt"));
		assertThat(rules.isIgnored("app.log", false)).isTrue();
		assertThat(rules.isIgnored("deep/nested/app.log", false)).isTrue();
		assertThat(rules.isIgnored("keep.log", false)).isFalse();
		assertThat(rules.isIgnored("build", true)).isTrue();
		assertThat(rules.isIgnored("build/out.class", false)).isTrue();
		assertThat(rules.isIgnored("src/build/out.class", false)).as("anchored to the root").isFalse();
		assertThat(rules.isIgnored("docs/a/b/c.tmp", false)).isTrue();
		assertThat(rules.isIgnored("docs/c.tmp", false)).isTrue();
		assertThat(rules.isIgnored("other/c.tmp", false)).isFalse();
		assertThat(rules.isIgnored("x/y/generated/Foo.java", false)).isTrue();
		assertThat(rules.isIgnored("abc.txt", false)).isTrue();
		assertThat(rules.isIgnored("ac.txt", false)).isFalse();
		assertThat(rules.isIgnored("data7.csv", false)).isTrue();
		assertThat(rules.isIgnored("dataX.csv", false)).isFalse();
		assertThat(rules.isIgnored("secret file.txt", false)).isTrue();
		assertThat(rules.isIgnored("#hash", false)).isTrue();
		assertThat(rules.isIgnored("logs", false)).as("folder-only rule does not hide a file").isFalse();
		assertThat(rules.isIgnored("logs/today.txt", false)).isTrue();
		assertThat(rules.isIgnored("root-only.txt", false)).isTrue();
		assertThat(rules.isIgnored("sub/root-only.txt", false)).isFalse();
	}

	@Test
	void matchesAsGitDoesWhereAHandWrittenGlobWentWrong() {
		IgnoreRules rules = IgnoreRules.parse(List.of("data[[:digit:]].csv", "build-[[:alpha:]]*/", "*.o\\ ",
				"notes[!a-c].md", "/a/**/z.txt"));
		assertThat(rules.isIgnored("data7.csv", false)).as("POSIX class").isTrue();
		assertThat(rules.isIgnored("dataX.csv", false)).isFalse();
		assertThat(rules.isIgnored("out/build-x1", true)).isTrue();
		assertThat(rules.isIgnored("out/build-1x", true)).isFalse();
		assertThat(rules.isIgnored("main.o ", false)).as("escaped trailing space").isTrue();
		assertThat(rules.isIgnored("main.o", false)).isFalse();
		assertThat(rules.isIgnored("notesd.md", false)).isTrue();
		assertThat(rules.isIgnored("notesb.md", false)).isFalse();
		assertThat(rules.isIgnored("a/z.txt", false)).isTrue();
		assertThat(rules.isIgnored("a/b/c/z.txt", false)).isTrue();
		assertThat(rules.isIgnored("b/a/z.txt", false)).isFalse();
	}

	@Test
	void aFileInsideAnIgnoredFolderCannotBeReincluded() {
		IgnoreRules rules = IgnoreRules.parse(List.of("private/", "!private/ok.txt"));
		assertThat(rules.isIgnored("private/ok.txt", false)).isTrue();
	}

	@Test
	void loadsTheWorkspaceFileAfterTheDefaultsSoItCanReincludeOne(@TempDir Path root) throws IOException {
		Files.writeString(root.resolve(IgnoreRules.FILE_NAME), "*.sqlite\n!.env.example\n");
		IgnoreRules rules = IgnoreRules.load(root, List.of("tmp/"));
		assertThat(rules.isIgnored("db/app.sqlite", false)).isTrue();
		assertThat(rules.isIgnored(".env.example", false)).isFalse();
		assertThat(rules.isIgnored(".env", false)).isTrue();
		assertThat(rules.isIgnored("tmp/x", false)).isTrue();
	}

}
