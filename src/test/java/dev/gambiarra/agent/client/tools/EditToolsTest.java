package dev.gambiarra.agent.client.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gambiarra.agent.client.security.IgnoreRules;

import static org.assertj.core.api.Assertions.assertThat;

class EditToolsTest {

	@TempDir
	Path root;

	@TempDir
	Path outside;

	ToolFixture fx;

	@BeforeEach
	void setUp() {
		this.fx = ToolFixture.trusting(this.root);
	}

	@Test
	void createsAFileAndItsFolders() throws IOException {
		ToolResult result = this.fx.run("write_to_file", "path", "src/pkg/hello.py", "content", "print('hi')\n",
				"line_count", 1);
		assertThat(result.status()).isEqualTo(ToolResult.Status.OK);
		assertThat(result.output()).isEqualTo("Created src/pkg/hello.py (1 lines)");
		assertThat(this.fx.read("src/pkg/hello.py")).isEqualTo("print('hi')\n");
	}

	@Test
	void overwritesAfterABackup() throws IOException {
		this.fx.write("a.txt", "old\n");
		this.fx.run("read_file", "path", "a.txt");
		ToolResult result = this.fx.run("write_to_file", "path", "a.txt", "content", "new\n", "line_count", 1);
		assertThat(result.output()).startsWith("Overwrote a.txt (1 lines); backup at .gambiarra/backups/");
		assertThat(this.fx.read("a.txt")).isEqualTo("new\n");
		String backup = result.output().substring(result.output().indexOf(".gambiarra/"));
		assertThat(this.fx.read(backup)).isEqualTo("old\n");
		assertThat(backups()).hasSize(1);
	}

	@Test
	void refusesContentWhoseLineCountDoesNotMatch() {
		ToolResult result = this.fx.run("write_to_file", "path", "a.py", "content", "a = 1\nb = 2\n", "line_count", 40);
		assertThat(result.status()).isEqualTo(ToolResult.Status.ERROR);
		assertThat(result.output()).contains("has 2 lines but line_count says 40");
		assertThat(this.root.resolve("a.py")).doesNotExist();
	}

	@Test
	void refusesTruncationPlaceholders() {
		for (String placeholder : List.of("    // rest of code unchanged", "# ... existing code ...",
				"/* remaining methods omitted */", "    // ...rest of the implementation", "<!-- rest of the file -->",
				"// existing imports remain the same", "...")) {
			String content = "class A {\n" + placeholder + "\n}\n";
			ToolResult result = this.fx.run("write_to_file", "path", "A.java", "content", content);
			assertThat(result.status()).as(placeholder).isEqualTo(ToolResult.Status.ERROR);
			assertThat(result.output()).as(placeholder).contains("placeholder");
		}
		assertThat(this.root.resolve("A.java")).doesNotExist();
	}

	@Test
	void acceptsOrdinaryCommentsAndProseThatMentionTheRestOfTheCode() {
		String code = "# Parse the rest of the arguments\nimport sys\n# the old value stays in cache\nx = sys.argv[1:]\n";
		assertThat(this.fx.run("write_to_file", "path", "ok.py", "content", code, "line_count", 4).status())
			.isEqualTo(ToolResult.Status.OK);
		String doc = "The rest of the code remains unchanged in this release.\n";
		assertThat(this.fx.run("write_to_file", "path", "NOTES.md", "content", doc).status())
			.isEqualTo(ToolResult.Status.OK);
	}

	@Test
	void stripsAMarkdownFenceAroundCode() throws IOException {
		this.fx.run("write_to_file", "path", "f.js", "content", "```javascript\nconsole.log(1)\n```");
		assertThat(this.fx.read("f.js")).isEqualTo("console.log(1)\n");
	}

	@Test
	void refusesToWriteHiddenOrProtectedFilesOrOutside() throws IOException {
		Files.createSymbolicLink(this.root.resolve("out"), this.outside);
		Files.createSymbolicLink(this.root.resolve("dangling.txt"), this.outside.resolve("planted.txt"));
		for (String path : List.of(".env", ".git/hooks/pre-commit", "keys/server.pem", IgnoreRules.FILE_NAME,
				".gambiarra/backups/x", "../x.txt", "out/planted.txt", "dangling.txt", "/tmp/x.txt", "~/.bashrc")) {
			ToolResult result = this.fx.run("write_to_file", "path", path, "content", "x\n");
			assertThat(result.status()).as(path).isEqualTo(ToolResult.Status.ERROR);
			assertThat(result.output()).as(path).startsWith("Access denied");
		}
		try (Stream<Path> files = Files.list(this.outside)) {
			assertThat(files).isEmpty();
		}
		assertThat(this.root.resolve(".env")).doesNotExist();
	}

	@Test
	void refusesToChangeAFileWithAHardLinkThatMayLiveOutside() throws IOException {
		Path target = Files.writeString(this.outside.resolve("shared.txt"), "outside\n");
		Files.createLink(this.root.resolve("shared.txt"), target);
		for (String tool : List.of("write_to_file", "search_and_replace", "insert_content")) {
			ToolResult result = this.fx.run(tool, "path", "shared.txt", "content", "x\n", "search", "outside",
					"replace", "pwned", "line", 0);
			assertThat(result.output()).as(tool).contains("hard links");
		}
		assertThat(Files.readString(target)).isEqualTo("outside\n");
	}

	@Test
	void refusesToOverwriteAFileThatChangedSinceItWasReadAndShowsTheFreshContent() throws IOException {
		this.fx.write("conf.txt", "v1\n");
		this.fx.run("read_file", "path", "conf.txt");
		this.fx.write("conf.txt", "v2 from the user\n");
		ToolResult stale = this.fx.run("write_to_file", "path", "conf.txt", "content", "agent\n");
		assertThat(stale.status()).isEqualTo(ToolResult.Status.ERROR);
		assertThat(stale.output()).contains("changed on disk", "1 | v2 from the user");
		assertThat(this.fx.read("conf.txt")).isEqualTo("v2 from the user\n");
		// the agent has now seen the fresh content: the next write goes through
		assertThat(this.fx.run("write_to_file", "path", "conf.txt", "content", "agent\n").status())
			.isEqualTo(ToolResult.Status.OK);
		assertThat(this.fx.read("conf.txt")).isEqualTo("agent\n");
	}

	@Test
	void replacesLiteralTextRegexIgnoringCaseAndWithinLines() throws IOException {
		this.fx.write("app.py", "name = 'a'\nNAME = 'b'\nprint(name)\n");
		ToolResult literal = this.fx.run("search_and_replace", "path", "app.py", "search", "name", "replace", "user");
		assertThat(literal.output()).startsWith("Replaced 2 occurrences in app.py");
		assertThat(this.fx.read("app.py")).isEqualTo("user = 'a'\nNAME = 'b'\nprint(user)\n");
		this.fx.run("search_and_replace", "path", "app.py", "search", "user", "replace", "who", "ignore_case", true,
				"start_line", 3, "end_line", 3);
		assertThat(this.fx.read("app.py")).isEqualTo("user = 'a'\nNAME = 'b'\nprint(who)\n");
		this.fx.run("search_and_replace", "path", "app.py", "search", "'(\\w)'", "replace", "\"$1\"", "use_regex",
				"true");
		assertThat(this.fx.read("app.py")).isEqualTo("user = \"a\"\nNAME = \"b\"\nprint(who)\n");
		ToolResult dollar = this.fx.run("search_and_replace", "path", "app.py", "search", "who", "replace", "$0\\x");
		assertThat(dollar.status()).isEqualTo(ToolResult.Status.OK);
		assertThat(this.fx.read("app.py")).endsWith("print($0\\x)\n");
		assertThat(backups()).hasSize(4);
	}

	@Test
	void reportsNoMatchWithoutTouchingTheFile() throws IOException {
		this.fx.write("a.txt", "hello\n");
		ToolResult result = this.fx.run("search_and_replace", "path", "a.txt", "search", "bye", "replace", "x");
		assertThat(result.status()).isEqualTo(ToolResult.Status.ERROR);
		assertThat(result.output()).contains("No match");
		assertThat(backups()).isEmpty();
	}

	@Test
	void reReadsAChangedFileBeforeReplacingInsteadOfClobberingIt() throws IOException {
		this.fx.write("a.txt", "alpha\nbeta\n");
		this.fx.run("read_file", "path", "a.txt");
		this.fx.write("a.txt", "alpha\nbeta\ngamma added by the user\n");
		ToolResult result = this.fx.run("search_and_replace", "path", "a.txt", "search", "beta", "replace", "BETA");
		assertThat(result.status()).isEqualTo(ToolResult.Status.OK);
		assertThat(result.output()).contains("had changed on disk");
		assertThat(this.fx.read("a.txt")).isEqualTo("alpha\nBETA\ngamma added by the user\n");
	}

	@Test
	void keepsWindowsLineEndings() throws IOException {
		this.fx.write("win.txt", "one\r\ntwo\r\n");
		this.fx.run("search_and_replace", "path", "win.txt", "search", "one", "replace", "1\n1b");
		assertThat(this.fx.read("win.txt")).isEqualTo("1\r\n1b\r\ntwo\r\n");
		this.fx.run("insert_content", "path", "win.txt", "line", 0, "content", "three\n");
		assertThat(this.fx.read("win.txt")).isEqualTo("1\r\n1b\r\ntwo\r\nthree\r\n");
	}

	@Test
	void insertsBeforeALineAppendsAndCreates() throws IOException {
		this.fx.write("list.txt", "a\nc\n");
		this.fx.run("read_file", "path", "list.txt");
		ToolResult result = this.fx.run("insert_content", "path", "list.txt", "line", 2, "content", "b\n");
		assertThat(result.output()).startsWith("Inserted 1 lines before line 2 of list.txt");
		this.fx.run("insert_content", "path", "list.txt", "line", 0, "content", "d\ne");
		assertThat(this.fx.read("list.txt")).isEqualTo("a\nb\nc\nd\ne\n");
		this.fx.run("insert_content", "path", "new.txt", "line", 1, "content", "first");
		assertThat(this.fx.read("new.txt")).isEqualTo("first\n");
		ToolResult past = this.fx.run("insert_content", "path", "list.txt", "line", 99, "content", "x");
		assertThat(past.status()).isEqualTo(ToolResult.Status.ERROR);
	}

	@Test
	void refusesALineNumberedInsertIntoAFileThatChangedSinceItWasRead() throws IOException {
		this.fx.write("list.txt", "a\nb\n");
		this.fx.run("read_file", "path", "list.txt");
		this.fx.write("list.txt", "header\na\nb\n");
		ToolResult result = this.fx.run("insert_content", "path", "list.txt", "line", 2, "content", "between a and b");
		assertThat(result.status()).isEqualTo(ToolResult.Status.ERROR);
		assertThat(result.output()).contains("changed on disk", "1 | header");
		assertThat(this.fx.read("list.txt")).isEqualTo("header\na\nb\n");
	}

	private List<Path> backups() throws IOException {
		Path dir = this.root.resolve(".gambiarra/backups");
		if (!Files.exists(dir)) {
			return List.of();
		}
		try (Stream<Path> walk = Files.walk(dir)) {
			return walk.filter(Files::isRegularFile).toList();
		}
	}

}
