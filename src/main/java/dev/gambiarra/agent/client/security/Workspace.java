package dev.gambiarra.agent.client.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The folder the agent may work in. Every path the model sends goes through {@link #resolve(String)}, which refuses
 * anything that would touch a file outside the root: absolute paths, {@code ..} that climbs out, symbolic links (a
 * link itself or any link among its parents) whose real target lies outside, dangling links, and spellings that only
 * stay inside on paper (for example a sibling folder whose name differs from the root only by case). An absolute path
 * is accepted only when it lies under the root, and then goes through the same checks.
 * <p>
 * The check compares <em>real</em> paths ({@link Path#toRealPath}), so a case-insensitive file system that folds
 * {@code ../WS} onto the root is judged by where the path really lands, not by how it is spelled.
 */
public final class Workspace {

	private final Path root;

	private Workspace(Path root) {
		this.root = root;
	}

	/**
	 * Opens a workspace on an existing directory.
	 * @param directory the workspace folder; it must exist
	 * @return the workspace, rooted at the directory's real path
	 */
	public static Workspace of(Path directory) {
		try {
			Path real = directory.toAbsolutePath().toRealPath();
			if (!Files.isDirectory(real)) {
				throw new IllegalArgumentException("Workspace is not a directory: " + directory);
			}
			return new Workspace(real);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Workspace folder not found: " + directory, ex);
		}
	}

	/** The real path of the workspace folder. */
	public Path root() {
		return this.root;
	}

	/**
	 * Resolves a path sent by the model.
	 * @param requested a path relative to the workspace root ({@code "."} or empty means the root)
	 * @return the absolute, normalized path inside the workspace, symbolic links resolved where they exist
	 * @throws WorkspaceViolation when the path leaves the workspace or cannot be checked
	 */
	public Path resolve(String requested) {
		String text = requested.strip();
		if (text.indexOf('\0') >= 0 || text.chars().anyMatch(c -> c < 0x20)) {
			throw new WorkspaceViolation(requested, "control characters are not allowed in paths");
		}
		if (text.isEmpty()) {
			text = ".";
		}
		if (text.startsWith("~")) {
			throw new WorkspaceViolation(requested, "home-relative paths are outside the workspace");
		}
		Path relative;
		try {
			relative = this.root.getFileSystem().getPath(text.replace('\\', '/'));
		}
		catch (InvalidPathException ex) {
			throw new WorkspaceViolation(requested, "invalid path");
		}
		if (looksAbsolute(text)) {
			// an absolute path is accepted only when it names something under the root (models copy paths they saw)
			if (!relative.isAbsolute() || !relative.normalize().startsWith(this.root)) {
				throw new WorkspaceViolation(requested, "absolute paths outside the workspace are not allowed; "
						+ "use a path relative to the workspace");
			}
			relative = this.root.relativize(relative.normalize());
		}
		Path candidate = this.root.resolve(relative).normalize();
		if (!candidate.startsWith(this.root)) {
			throw new WorkspaceViolation(requested, "the path leaves the workspace");
		}
		Path real = realPathOf(requested, candidate);
		if (!real.startsWith(this.root)) {
			throw new WorkspaceViolation(requested, "a symbolic link leads outside the workspace");
		}
		return real;
	}

	/**
	 * The path relative to the root with {@code /} separators ({@code "."} for the root itself), as shown to the
	 * model and matched against ignore rules.
	 * @param absolute a path inside the workspace
	 * @return the relative display form
	 */
	public String relativize(Path absolute) {
		Path rel = this.root.relativize(absolute);
		String text = rel.toString().replace('\\', '/');
		return text.isEmpty() ? "." : text;
	}

	/** Whether a path resolved earlier still lies inside (guards walks that meet links). */
	public boolean contains(Path absolute) {
		try {
			Path real = Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) ? absolute.toRealPath() : absolute;
			return real.startsWith(this.root);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean looksAbsolute(String text) {
		return text.startsWith("/") || text.startsWith("\\") || (text.length() >= 2 && text.charAt(1) == ':');
	}

	/**
	 * Walks the candidate from the root, one name at a time, following each link that exists. The first component
	 * that does not exist ends the walk: what follows cannot be a link yet and is appended as written. A link whose
	 * target does not exist (dangling) is refused, because creating the file would create it where the link points.
	 */
	private Path realPathOf(String requested, Path candidate) {
		Path current = this.root;
		Path remaining = this.root.relativize(candidate);
		if (remaining.toString().isEmpty()) {
			return this.root;
		}
		int count = remaining.getNameCount();
		for (int i = 0; i < count; i++) {
			Path next = current.resolve(remaining.getName(i));
			if (Files.isSymbolicLink(next)) {
				try {
					next = next.toRealPath();
				}
				catch (IOException ex) {
					throw new WorkspaceViolation(requested, "a symbolic link in the path points nowhere");
				}
				if (!next.startsWith(this.root)) {
					throw new WorkspaceViolation(requested, "a symbolic link leads outside the workspace");
				}
			}
			else if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
				for (int j = i + 1; j < count; j++) {
					next = next.resolve(remaining.getName(j));
				}
				return next;
			}
			else {
				try {
					next = next.toRealPath();
				}
				catch (IOException ex) {
					throw new WorkspaceViolation(requested, "cannot check the path: " + ex.getClass().getSimpleName());
				}
			}
			current = next;
		}
		return current;
	}

}
