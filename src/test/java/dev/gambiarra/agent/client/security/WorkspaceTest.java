package dev.gambiarra.agent.client.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builds real escapes (links, siblings, traversal) in a temp folder and proves each one is refused. */
class WorkspaceTest {

	@TempDir
	Path temp;

	Path root;

	Path outside;

	Workspace workspace;

	@BeforeEach
	void setUp() throws IOException {
		this.root = Files.createDirectories(this.temp.resolve("ws"));
		this.outside = Files.createDirectories(this.temp.resolve("outside"));
		Files.writeString(this.outside.resolve("secret.txt"), "top secret");
		Files.createDirectories(this.root.resolve("src/pkg"));
		Files.writeString(this.root.resolve("src/pkg/App.java"), "class App {}");
		this.workspace = Workspace.of(this.root);
	}

	@Test
	void resolvesPathsInsideTheRoot() {
		assertThat(this.workspace.resolve("src/pkg/App.java")).isEqualTo(this.workspace.root().resolve("src/pkg/App.java"));
		assertThat(this.workspace.resolve("src/../src/pkg/./App.java")).isEqualTo(
				this.workspace.root().resolve("src/pkg/App.java"));
		assertThat(this.workspace.resolve(".")).isEqualTo(this.workspace.root());
		assertThat(this.workspace.resolve("")).isEqualTo(this.workspace.root());
		assertThat(this.workspace.resolve("new/dir/File.txt")).isEqualTo(this.workspace.root().resolve("new/dir/File.txt"));
		assertThat(this.workspace.resolve("src\\pkg\\App.java")).isEqualTo(
				this.workspace.root().resolve("src/pkg/App.java"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "..", "../outside/secret.txt", "src/../../outside/secret.txt", "src/pkg/../../../x",
			"..\\outside\\secret.txt", "./../ws-evil", "../ws/../outside" })
	void refusesTraversalOutOfTheRoot(String path) {
		assertThatThrownBy(() -> this.workspace.resolve(path)).isInstanceOf(WorkspaceViolation.class)
			.hasMessageContaining("leaves the workspace");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/etc/passwd", "/", "\\windows\\system32", "C:\\Windows", "c:/x", "~/.ssh/id_rsa", "~" })
	void refusesAbsoluteAndHomePaths(String path) {
		assertThatThrownBy(() -> this.workspace.resolve(path)).isInstanceOf(WorkspaceViolation.class);
	}

	@Test
	void acceptsAnAbsolutePathOnlyWhenItLiesUnderTheRoot() throws IOException {
		String inside = this.workspace.root().resolve("src/pkg/App.java").toString();
		assertThat(this.workspace.resolve(inside)).isEqualTo(this.workspace.root().resolve("src/pkg/App.java"));
		String climbing = this.workspace.root() + "/../outside/secret.txt";
		assertThatThrownBy(() -> this.workspace.resolve(climbing)).isInstanceOf(WorkspaceViolation.class)
			.hasMessageContaining("absolute paths outside the workspace");
		Files.createSymbolicLink(this.root.resolve("out"), this.outside);
		String viaLink = this.workspace.root().resolve("out/secret.txt").toString();
		assertThatThrownBy(() -> this.workspace.resolve(viaLink)).isInstanceOf(WorkspaceViolation.class);
	}

	@Test
	void refusesControlCharacters() {
		assertThatThrownBy(() -> this.workspace.resolve("a\u0000b")).isInstanceOf(WorkspaceViolation.class);
		assertThatThrownBy(() -> this.workspace.resolve("a\nb")).isInstanceOf(WorkspaceViolation.class);
	}

	@Test
	void refusesAFileLinkThatPointsOutside() throws IOException {
		Files.createSymbolicLink(this.root.resolve("leak.txt"), this.outside.resolve("secret.txt"));
		assertThatThrownBy(() -> this.workspace.resolve("leak.txt")).isInstanceOf(WorkspaceViolation.class)
			.hasMessageContaining("symbolic link");
	}

	@Test
	void refusesAFolderLinkThatPointsOutside() throws IOException {
		Files.createSymbolicLink(this.root.resolve("out"), this.outside);
		assertThatThrownBy(() -> this.workspace.resolve("out/secret.txt")).isInstanceOf(WorkspaceViolation.class);
		assertThatThrownBy(() -> this.workspace.resolve("out")).isInstanceOf(WorkspaceViolation.class);
		// a new file below the linked folder would be created outside
		assertThatThrownBy(() -> this.workspace.resolve("out/new.txt")).isInstanceOf(WorkspaceViolation.class);
	}

	@Test
	void refusesALinkedParentDeepInThePath() throws IOException {
		Files.createSymbolicLink(this.root.resolve("src/pkg/up"), this.temp);
		assertThatThrownBy(() -> this.workspace.resolve("src/pkg/up/outside/secret.txt"))
			.isInstanceOf(WorkspaceViolation.class);
	}

	@Test
	void refusesARelativeLinkThatClimbsOut() throws IOException {
		Files.createSymbolicLink(this.root.resolve("src/rel"), Path.of("../../outside"));
		assertThatThrownBy(() -> this.workspace.resolve("src/rel/secret.txt")).isInstanceOf(WorkspaceViolation.class);
	}

	@Test
	void refusesAChainOfLinksThatEndsOutside() throws IOException {
		Files.createSymbolicLink(this.root.resolve("hop2"), this.outside);
		Files.createSymbolicLink(this.root.resolve("hop1"), this.root.resolve("hop2"));
		assertThatThrownBy(() -> this.workspace.resolve("hop1/secret.txt")).isInstanceOf(WorkspaceViolation.class);
	}

	@Test
	void refusesADanglingLinkBecauseWritingWouldCreateItsTarget() throws IOException {
		Files.createSymbolicLink(this.root.resolve("dangling"), this.outside.resolve("created-by-agent.txt"));
		assertThatThrownBy(() -> this.workspace.resolve("dangling")).isInstanceOf(WorkspaceViolation.class)
			.hasMessageContaining("points nowhere");
		assertThat(this.outside.resolve("created-by-agent.txt")).doesNotExist();
	}

	@Test
	void allowsALinkThatStaysInside() throws IOException {
		Files.createSymbolicLink(this.root.resolve("alias"), this.root.resolve("src/pkg"));
		assertThat(this.workspace.resolve("alias/App.java")).isEqualTo(this.workspace.root().resolve("src/pkg/App.java"));
	}

	@Test
	void refusesASiblingFolderWhoseNameOnlyDiffersByCase() throws IOException {
		Files.createDirectories(this.temp.resolve("WS"));
		Files.writeString(this.temp.resolve("WS/loot.txt"), "x");
		assertThatThrownBy(() -> this.workspace.resolve("../WS/loot.txt")).isInstanceOf(WorkspaceViolation.class);
	}

	@Test
	void refusesASiblingFolderThatSharesTheRootsNamePrefix() throws IOException {
		Files.createDirectories(this.temp.resolve("ws-evil"));
		assertThatThrownBy(() -> this.workspace.resolve("../ws-evil")).isInstanceOf(WorkspaceViolation.class);
		assertThat(this.workspace.contains(this.temp.resolve("ws-evil"))).isFalse();
	}

	@Test
	void aWorkspaceOpenedThroughALinkIsJudgedByItsRealPath() throws IOException {
		Path link = Files.createSymbolicLink(this.temp.resolve("ws-link"), this.root);
		Workspace viaLink = Workspace.of(link);
		assertThat(viaLink.root()).isEqualTo(this.root.toRealPath());
		assertThatThrownBy(() -> viaLink.resolve("../outside/secret.txt")).isInstanceOf(WorkspaceViolation.class);
	}

	@Test
	void relativizeUsesForwardSlashes() {
		assertThat(this.workspace.relativize(this.workspace.root().resolve("src/pkg/App.java")))
			.isEqualTo("src/pkg/App.java");
		assertThat(this.workspace.relativize(this.workspace.root())).isEqualTo(".");
	}

}
