package dev.gambiarra.agent.client.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gambiarra.agent.client.approval.ApprovalPolicy;
import dev.gambiarra.agent.client.security.IgnoreRules;

import static org.assertj.core.api.Assertions.assertThat;

class ReadAndListToolsTest {

	@TempDir
	Path root;

	@TempDir
	Path outside;

	ToolFixture fx;

	@BeforeEach
	void setUp() throws IOException {
		Files.writeString(this.root.resolve("main.py"), "import sys\n\ndef main():\n    print('hi')\n\nmain()\n");
		Files.createDirectories(this.root.resolve("src/app"));
		Files.writeString(this.root.resolve("src/app/App.java"), "class App {\n  void run() {}\n}\n");
		Files.writeString(this.root.resolve(".env"), "API_KEY=sk-secret\n");
		Files.createDirectories(this.root.resolve(".git"));
		Files.writeString(this.root.resolve(".git/config"), "[core]\n");
		Files.writeString(this.root.resolve(IgnoreRules.FILE_NAME), "private/\n*.log\n");
		Files.createDirectories(this.root.resolve("private"));
		Files.writeString(this.root.resolve("private/notes.txt"), "hidden\n");
		Files.writeString(this.root.resolve("debug.log"), "TODO hidden log\n");
		Files.writeString(this.outside.resolve("secret.txt"), "outside secret\n");
		this.fx = ToolFixture.trusting(this.root);
	}

	@Test
	void readsAWholeFileWithLineNumbers() {
		ToolResult result = this.fx.runJson("read_file", "{\"args\":{\"file\":[{\"path\":\"main.py\"}]}}");
		assertThat(result.status()).isEqualTo(ToolResult.Status.OK);
		assertThat(result.output()).contains("File: main.py (lines 1-6 of 6)", "1 | import sys", "3 | def main():",
				"6 | main()");
	}

	@Test
	void readsALineRange() {
		ToolResult result = this.fx.runJson("read_file",
				"{\"args\":{\"file\":{\"path\":\"main.py\",\"line_range\":\"3-4\"}}}");
		assertThat(result.output()).contains("(lines 3-4 of 6)", "3 | def main():", "4 |     print('hi')")
			.doesNotContain("import sys", "main()\n");
	}

	@Test
	void readsSeveralFilesAndReportsEachFailure() {
		ToolResult result = this.fx.runJson("read_file",
				"{\"args\":{\"file\":[{\"path\":\"main.py\",\"line_range\":\"1-1\"},{\"path\":\"missing.txt\"}]}}");
		assertThat(result.status()).isEqualTo(ToolResult.Status.OK);
		assertThat(result.output()).contains("1 | import sys", "File: missing.txt", "Error: File not found");
	}

	@Test
	void refusesARangePastTheEnd() {
		ToolResult result = this.fx.runJson("read_file",
				"{\"args\":{\"file\":[{\"path\":\"main.py\",\"line_range\":\"40-50\"}]}}");
		assertThat(result.status()).isEqualTo(ToolResult.Status.ERROR);
		assertThat(result.output()).contains("the file has 6 lines");
	}

	@Test
	void refusesEscapesAndIgnoredFiles() throws IOException {
		Files.createSymbolicLink(this.root.resolve("link.txt"), this.outside.resolve("secret.txt"));
		for (String path : List.of("../" + this.outside.getFileName() + "/secret.txt", "link.txt",
				this.outside.resolve("secret.txt").toString(), ".env", ".git/config", "private/notes.txt", "debug.log",
				".ENV")) {
			ToolResult result = this.fx.run("read_file", "path", path);
			assertThat(result.status()).as(path).isEqualTo(ToolResult.Status.ERROR);
			assertThat(result.output()).as(path)
				.startsWith("Access denied")
				.doesNotContain("outside secret", "sk-secret", "[core]", "hidden\n", "TODO hidden");
		}
	}

	@Test
	void refusesBinaryFiles() throws IOException {
		Files.write(this.root.resolve("image.bin"), new byte[] { 1, 2, 0, 3 });
		assertThat(this.fx.run("read_file", "path", "image.bin").output()).contains("Binary file");
	}

	@Test
	void listsAFolderWithoutHiddenEntries() {
		ToolResult result = this.fx.run("list_files", "path", ".");
		assertThat(result.output().lines().toList()).containsExactly(IgnoreRules.FILE_NAME, "main.py", "src/");
	}

	@Test
	void listsRecursivelyWithoutEnteringHiddenFoldersOrFollowingLinks() throws IOException {
		Files.createSymbolicLink(this.root.resolve("escape"), this.outside);
		Files.createDirectories(this.root.resolve("node_modules/lib"));
		Files.writeString(this.root.resolve("node_modules/lib/index.js"), "x");
		ToolResult result = this.fx.run("list_files", "path", "", "recursive", true);
		assertThat(result.output().lines().toList()).containsExactly(IgnoreRules.FILE_NAME, "escape@", "main.py",
				"node_modules/", "src/", "src/app/", "src/app/App.java");
	}

	@Test
	void searchesWithARegexAndAFilePattern() throws IOException {
		Files.writeString(this.root.resolve("src/app/Util.java"), "class Util {\n  // TODO tidy\n}\n");
		Files.writeString(this.root.resolve("notes.md"), "TODO write docs\n");
		ToolResult all = this.fx.run("search_files", "path", ".", "regex", "TODO\\s+\\w+");
		assertThat(all.output()).contains("2 matches", "src/app/Util.java:2: // TODO tidy", "notes.md:1: TODO write docs")
			.doesNotContain("debug.log");
		ToolResult javaOnly = this.fx.run("search_files", "path", ".", "regex", "TODO", "file_pattern", "*.java");
		assertThat(javaOnly.output()).contains("1 match", "Util.java").doesNotContain("notes.md");
		ToolResult secret = this.fx.run("search_files", "path", ".", "regex", "sk-secret");
		assertThat(secret.output()).isEqualTo("No matches.");
	}

	@Test
	void reportsABadRegex() {
		ToolResult result = this.fx.run("search_files", "path", ".", "regex", "(unclosed");
		assertThat(result.status()).isEqualTo(ToolResult.Status.ERROR);
		assertThat(result.output()).contains("Invalid regex");
	}

	@Test
	void stopsARunawayRegexInsteadOfHanging() throws IOException {
		Files.writeString(this.root.resolve("evil.txt"), "a".repeat(30) + "!\n");
		FileLimits quick = new FileLimits(1 << 20, 100, 100, 100, Duration.ofMillis(300));
		ToolFixture fast = new ToolFixture(this.root, new ApprovalPolicy(true, true, true), "", false, quick);
		long start = System.nanoTime();
		// (.*a){12}x backtracks for about a minute on this line without the budget
		ToolResult result = fast.run("search_files", "path", "evil.txt", "regex", "(.*a){12}x");
		assertThat(result.output()).contains("time budget");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void listsCodeDefinitionsOfAFolder() throws IOException {
		Files.writeString(this.root.resolve("src/app/svc.go"), "package app\n\ntype Svc struct{}\n\nfunc (s *Svc) Run() error {\n\treturn nil\n}\n");
		ToolResult result = this.fx.run("list_code_definition_names", "path", "src/app");
		assertThat(result.output()).contains("# src/app/App.java", "1 | class App", "2 |   void run() {}",
				"# src/app/svc.go", "3 | type Svc struct{}", "5 | func (s *Svc) Run() error");
	}

	@Test
	void refusesUnknownToolsAndMajorVersions() {
		assertThat(this.fx.tools.execute("format_disk", "1.0", ToolFixture.JSON.valueToTree(Map.of())).output())
			.contains("does not support");
		assertThat(this.fx.tools.execute("read_file", "2.0", ToolFixture.JSON.valueToTree(Map.of("path", "main.py")))
			.output()).contains("version 1.x");
	}

}
