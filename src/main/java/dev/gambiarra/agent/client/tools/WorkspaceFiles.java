package dev.gambiarra.agent.client.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import dev.gambiarra.agent.client.security.IgnoreRules;
import dev.gambiarra.agent.client.security.Workspace;
import dev.gambiarra.agent.client.security.WorkspaceViolation;
import org.jspecify.annotations.Nullable;

/**
 * The tools' only way to the disk: resolves paths inside the workspace, applies the ignore rules, reads text
 * strictly (UTF-8, no binaries, bounded size), backs files up and writes without following links, and keeps the
 * file-context tracker up to date.
 */
final class WorkspaceFiles {

	private final Workspace workspace;

	private final IgnoreRules ignore;

	private final Backups backups;

	private final FileContextTracker tracker = new FileContextTracker();

	private final FileLimits limits;

	WorkspaceFiles(Workspace workspace, IgnoreRules ignore, @Nullable String backupDir, FileLimits limits) {
		this.workspace = workspace;
		this.ignore = ignore;
		this.backups = new Backups(workspace, backupDir);
		this.limits = limits;
	}

	Workspace workspace() {
		return this.workspace;
	}

	FileLimits limits() {
		return this.limits;
	}

	FileContextTracker tracker() {
		return this.tracker;
	}

	String relative(Path path) {
		return this.workspace.relativize(path);
	}

	boolean isHidden(Path path, boolean directory) {
		return this.ignore.isIgnored(this.workspace.relativize(path), directory);
	}

	/** Resolves a path for reading or listing; hidden paths are refused as if they were outside. */
	Path forRead(String requested) {
		Path path = this.workspace.resolve(requested);
		if (isHidden(path, Files.isDirectory(path))) {
			throw new WorkspaceViolation(requested, "the path is excluded by " + IgnoreRules.FILE_NAME);
		}
		return path;
	}

	/** Resolves a path for writing: not hidden, not the ignore file itself, not a folder. */
	Path forWrite(String requested) {
		Path path = this.workspace.resolve(requested);
		if (path.equals(this.workspace.root())) {
			throw new WorkspaceViolation(requested, "the workspace root is not a file");
		}
		if (isHidden(path, false)) {
			throw new WorkspaceViolation(requested, "the path is excluded by " + IgnoreRules.FILE_NAME);
		}
		if (this.workspace.relativize(path).equalsIgnoreCase(IgnoreRules.FILE_NAME)) {
			throw new WorkspaceViolation(requested, IgnoreRules.FILE_NAME + " can only be changed by the user");
		}
		if (Files.isDirectory(path)) {
			throw new WorkspaceViolation(requested, "the path is a folder");
		}
		if (hardLinks(path) > 1) {
			// another name for the same file may live outside the workspace (or in a shared store, as pnpm does)
			throw new WorkspaceViolation(requested, "the file has other hard links; the agent does not change it");
		}
		return path;
	}

	private static int hardLinks(Path path) {
		try {
			Object count = Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
			return (count instanceof Integer n) ? n : 1;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return 1;
		}
	}

	/** Reads a text file, refusing binaries, non-UTF-8 and oversized files, and remembers it as read. */
	Text readText(Path file) throws IOException {
		byte[] bytes = readBytes(file);
		Text text = decode(file, bytes);
		this.tracker.remember(file, bytes);
		return text;
	}

	/** Bytes of a regular file within the size limit. */
	byte[] readBytes(Path file) throws IOException {
		if (!Files.exists(file)) {
			throw new ToolException("File not found: " + relative(file));
		}
		if (!Files.isRegularFile(file)) {
			throw new ToolException("Not a file: " + relative(file));
		}
		long size = Files.size(file);
		if (size > this.limits.maxFileBytes()) {
			throw new ToolException("File too large (" + size + " bytes, limit " + this.limits.maxFileBytes() + "): "
					+ relative(file));
		}
		return Files.readAllBytes(file);
	}

	Text decode(Path file, byte[] bytes) {
		int probe = Math.min(bytes.length, 8192);
		for (int i = 0; i < probe; i++) {
			if (bytes[i] == 0) {
				throw new ToolException("Binary file, not shown: " + relative(file));
			}
		}
		try {
			String content = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
			return new Text(content);
		}
		catch (CharacterCodingException ex) {
			throw new ToolException("Not a UTF-8 text file: " + relative(file));
		}
	}

	/**
	 * Reads a file that is about to be edited. When it changed on disk since the agent last read or wrote it, the
	 * fresh content is remembered and {@link StaleFileException} reports it instead of editing.
	 */
	Text readForEdit(Path file) throws IOException {
		byte[] bytes = readBytes(file);
		Text text = decode(file, bytes);
		if (this.tracker.isStale(file, bytes)) {
			this.tracker.remember(file, bytes);
			throw new StaleFileException(relative(file), text);
		}
		this.tracker.remember(file, bytes);
		return text;
	}

	/**
	 * Writes a file: backs up the old content, creates missing folders (each checked inside the workspace), writes
	 * without following a link at the last step, and remembers the new content.
	 * @return the backup's relative path, or null when the file is new or backups are off
	 */
	@Nullable String write(Path file, String content) throws IOException {
		String backup = this.backups.backup(file);
		Path parent = file.getParent();
		if (parent != null && !Files.isDirectory(parent)) {
			Files.createDirectories(parent);
			if (!this.workspace.contains(parent)) {
				throw new WorkspaceViolation(relative(file), "the folder leaves the workspace");
			}
		}
		byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
		Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
				StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
		this.tracker.remember(file, bytes);
		return backup;
	}

	/** Decoded text with its dominant line separator. */
	record Text(String content) {

		String separator() {
			int lf = this.content.indexOf('\n');
			return (lf > 0 && this.content.charAt(lf - 1) == '\r') ? "\r\n" : "\n";
		}

		/** The lines without their separators (a final newline does not make an extra empty line). */
		List<String> lines() {
			List<String> lines = new ArrayList<>(List.of(this.content.split("\r?\n", -1)));
			if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
				lines.remove(lines.size() - 1);
			}
			return lines;
		}

		boolean endsWithNewline() {
			return this.content.endsWith("\n");
		}

	}

	/** The file changed on disk since the agent saw it; carries the fresh text. */
	static final class StaleFileException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final transient Text fresh;

		StaleFileException(String path, Text fresh) {
			super(path);
			this.fresh = fresh;
		}

		Text fresh() {
			return this.fresh;
		}

	}

}
