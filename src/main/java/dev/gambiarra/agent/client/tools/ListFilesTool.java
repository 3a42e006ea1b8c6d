package dev.gambiarra.agent.client.tools;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.gambiarra.agent.client.approval.RiskLevel;

/**
 * {@code list_files}: the entries of a folder, or its whole tree with {@code recursive}, one path per line relative
 * to the workspace root, folders ending in {@code /}, symbolic links in {@code @}. Ignored paths are left out and
 * never entered; links are never followed; bulky generated folders ({@code node_modules}, {@code target}, …) are
 * listed but not entered in a recursive listing.
 */
final class ListFilesTool implements Tool {

	static final Set<String> NOT_ENTERED = Set.of("node_modules", "target", "build", "dist", "out", ".venv", "venv",
			"__pycache__", ".gradle", ".idea", ".next", ".cache", "vendor", ".tox", ".mypy_cache", ".pytest_cache");

	private final WorkspaceFiles files;

	ListFilesTool(WorkspaceFiles files) {
		this.files = files;
	}

	@Override
	public String name() {
		return "list_files";
	}

	@Override
	public PreparedCall prepare(ToolArgs args) {
		String requested = args.optionalString("path");
		Path dir = this.files.forRead(requested == null ? "." : requested);
		if (!Files.isDirectory(dir)) {
			throw new ToolException("Not a folder: " + (requested == null ? "." : requested));
		}
		boolean recursive = args.flag("recursive", false);
		String rel = this.files.relative(dir);
		String summary = "List " + rel + (recursive ? " (recursive)" : "");
		return new PreparedCall(RiskLevel.LOW, summary, () -> ToolResult.ok(list(dir, recursive)));
	}

	private String list(Path dir, boolean recursive) throws IOException {
		int max = this.files.limits().maxListEntries();
		List<String> entries = new ArrayList<>();
		boolean[] cut = { false };
		Files.walkFileTree(dir, EnumSet.noneOf(java.nio.file.FileVisitOption.class), recursive ? Integer.MAX_VALUE : 1,
				new SimpleFileVisitor<>() {

					@Override
					public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
						if (d.equals(dir)) {
							return FileVisitResult.CONTINUE;
						}
						if (files.isHidden(d, true)) {
							return FileVisitResult.SKIP_SUBTREE;
						}
						if (!add(files.relative(d) + "/")) {
							return FileVisitResult.TERMINATE;
						}
						return NOT_ENTERED.contains(d.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
								: FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
						boolean directory = attrs.isDirectory();
						if (files.isHidden(f, directory)) {
							return FileVisitResult.CONTINUE;
						}
						String suffix = attrs.isSymbolicLink() ? "@" : (directory ? "/" : "");
						return add(files.relative(f) + suffix) ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
					}

					@Override
					public FileVisitResult visitFileFailed(Path f, IOException ex) {
						return FileVisitResult.CONTINUE;
					}

					private boolean add(String entry) {
						if (entries.size() >= max) {
							cut[0] = true;
							return false;
						}
						entries.add(entry);
						return true;
					}

				});
		entries.sort(String::compareTo);
		if (entries.isEmpty()) {
			return "(no files)";
		}
		String text = String.join("\n", entries);
		return cut[0] ? text + "\n[listing stopped at " + max + " entries; list a subfolder to see more]" : text;
	}

}
