package dev.gambiarra.agent.client.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gambiarra.agent.client.security.Workspace;
import org.jspecify.annotations.Nullable;

/**
 * Copies a file aside before the agent changes it, under {@code <workspace>/<dir>/<session-start>/}, keeping the
 * file's relative path and numbering repeated copies ({@code src/App.java.~1~}, {@code .~2~}, …). The folder is
 * hidden from the agent by the default ignore rules ({@code .gambiarra/}).
 */
final class Backups {

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

	private final Workspace workspace;

	private final @Nullable Path sessionDir;

	private final AtomicInteger counter = new AtomicInteger();

	/**
	 * @param workspace the workspace
	 * @param directory folder for backups relative to the root; null turns backups off
	 */
	Backups(Workspace workspace, @Nullable String directory) {
		this.workspace = workspace;
		this.sessionDir = (directory == null || directory.isBlank()) ? null
				: workspace.resolve(directory).resolve(LocalDateTime.now().format(STAMP));
	}

	/**
	 * Copies the file if it exists.
	 * @param file a file inside the workspace
	 * @return the backup's path relative to the root, or null when nothing was copied
	 */
	@Nullable String backup(Path file) throws IOException {
		if (this.sessionDir == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
			return null;
		}
		Path relative = this.workspace.root().relativize(file);
		Path target = this.sessionDir.resolve(relative.toString() + ".~" + this.counter.incrementAndGet() + "~");
		Files.createDirectories(target.getParent());
		if (!this.workspace.contains(target.getParent())) {
			throw new IOException("backup folder leaves the workspace");
		}
		Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
		return this.workspace.relativize(target);
	}

}
