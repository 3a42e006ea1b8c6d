package dev.gambiarra.agent.client.tools;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.gambiarra.agent.client.approval.RiskLevel;
import org.jspecify.annotations.Nullable;

/**
 * {@code search_files}: a Java regex searched line by line in the text files under a folder (or in one file),
 * optionally only in files matching a glob ({@code *.java}, {@code src/**}/{@code *.ts}). Ignored paths, binaries,
 * oversized files and links are skipped. Each match is shown as {@code path:line: text}. A search that runs past its
 * time budget (a runaway regex) stops and says so.
 */
final class SearchFilesTool implements Tool {

	private static final int MAX_LINE = 300;

	private final WorkspaceFiles files;

	SearchFilesTool(WorkspaceFiles files) {
		this.files = files;
	}

	@Override
	public String name() {
		return "search_files";
	}

	@Override
	public PreparedCall prepare(ToolArgs args) {
		String requested = args.optionalString("path");
		Path start = this.files.forRead(requested == null || requested.isBlank() ? "." : requested);
		String regex = args.string("regex");
		if (regex.isEmpty()) {
			throw new ToolException("Parameter 'regex' must not be empty");
		}
		Pattern pattern;
		try {
			pattern = Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new ToolException("Invalid regex: " + ex.getDescription());
		}
		String glob = args.optionalString("file_pattern");
		PathMatcher matcher = null;
		if (glob != null && !glob.isBlank()) {
			try {
				matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.strip());
			}
			catch (RuntimeException ex) {
				throw new ToolException("Invalid file_pattern: " + glob);
			}
		}
		boolean pathGlob = glob != null && glob.contains("/");
		PathMatcher fileMatcher = matcher;
		String summary = "Search /" + regex + "/ in " + this.files.relative(start)
				+ (glob != null && !glob.isBlank() ? " (files " + glob + ")" : "");
		return new PreparedCall(RiskLevel.LOW, summary,
				() -> ToolResult.ok(search(start, pattern, fileMatcher, pathGlob)));
	}

	private String search(Path start, Pattern pattern, @Nullable PathMatcher glob, boolean pathGlob) throws IOException {
		int max = this.files.limits().maxSearchResults();
		long deadline = System.nanoTime() + this.files.limits().searchTimeout().toNanos();
		List<String> results = new ArrayList<>();
		String[] stop = { null };
		Files.walkFileTree(start, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
				if (dir.equals(start)) {
					return FileVisitResult.CONTINUE;
				}
				return (files.isHidden(dir, true) || ListFilesTool.NOT_ENTERED.contains(dir.getFileName().toString()))
						? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
				if (!attrs.isRegularFile() || files.isHidden(file, false)
						|| attrs.size() > files.limits().maxFileBytes()) {
					return FileVisitResult.CONTINUE;
				}
				if (glob != null) {
					Path target = pathGlob ? Path.of(files.relative(file)) : file.getFileName();
					if (!glob.matches(target)) {
						return FileVisitResult.CONTINUE;
					}
				}
				List<String> lines;
				try {
					lines = files.decode(file, Files.readAllBytes(file)).lines();
				}
				catch (IOException | ToolException ex) {
					return FileVisitResult.CONTINUE;
				}
				String rel = files.relative(file);
				for (int i = 0; i < lines.size(); i++) {
					String line = lines.get(i);
					Matcher m = pattern.matcher(new Deadline(line, deadline));
					boolean found;
					try {
						found = m.find();
					}
					catch (Deadline.Expired ex) {
						stop[0] = "[search stopped: it ran past its time budget; simplify the regex]";
						return FileVisitResult.TERMINATE;
					}
					if (found) {
						if (results.size() >= max) {
							stop[0] = "[showing the first " + max + " matches; narrow the search]";
							return FileVisitResult.TERMINATE;
						}
						String shown = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + " …" : line;
						results.add(rel + ":" + (i + 1) + ": " + shown.strip());
					}
				}
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException ex) {
				return FileVisitResult.CONTINUE;
			}

		});
		if (results.isEmpty()) {
			return (stop[0] != null) ? stop[0] : "No matches.";
		}
		String text = results.size() + (results.size() == 1 ? " match" : " matches") + ":\n" + String.join("\n", results);
		return (stop[0] != null) ? text + "\n" + stop[0] : text;
	}

	/** A line that makes a regex give up once the search's time budget is spent. */
	private static final class Deadline implements CharSequence {

		static final class Expired extends RuntimeException {

			private static final long serialVersionUID = 1L;

			Expired() {
				super(null, null, false, false);
			}

		}

		private final CharSequence text;

		private final long deadline;

		private int calls;

		Deadline(CharSequence text, long deadline) {
			this.text = text;
			this.deadline = deadline;
		}

		@Override
		public char charAt(int index) {
			if ((++this.calls & 0xFFF) == 0 && System.nanoTime() > this.deadline) {
				throw new Expired();
			}
			return this.text.charAt(index);
		}

		@Override
		public int length() {
			return this.text.length();
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return new Deadline(this.text.subSequence(start, end), this.deadline);
		}

		@Override
		public String toString() {
			return this.text.toString();
		}

	}

}
