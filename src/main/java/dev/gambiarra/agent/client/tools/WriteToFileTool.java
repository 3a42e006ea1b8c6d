package dev.gambiarra.agent.client.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.gambiarra.agent.client.approval.RiskLevel;

/**
 * {@code write_to_file}: creates or replaces a whole file. Refuses content that looks incomplete (line count
 * mismatch, placeholder comments), strips a Markdown code fence that wraps the whole content of a non-Markdown file,
 * backs up the old file, and refuses to overwrite a file that changed on disk since the agent read it (the fresh
 * content goes back to the model instead).
 */
final class WriteToFileTool implements Tool {

	private final WorkspaceFiles files;

	WriteToFileTool(WorkspaceFiles files) {
		this.files = files;
	}

	@Override
	public String name() {
		return "write_to_file";
	}

	@Override
	public PreparedCall prepare(ToolArgs args) {
		String path = args.nonBlank("path");
		Path file = this.files.forWrite(path);
		String content = stripFence(file, args.string("content"));
		Integer declared = args.optionalInt("line_count");
		String problem = ContentValidator.problem(content, declared);
		if (problem != null) {
			throw new ToolException(problem);
		}
		boolean exists = Files.exists(file);
		int lines = ContentValidator.countLines(content);
		String rel = this.files.relative(file);
		String summary = (exists ? "Overwrite " : "Create ") + rel + " (" + lines + " lines)\n" + preview(content);
		return new PreparedCall(RiskLevel.MEDIUM, summary, () -> {
			if (exists) {
				try {
					this.files.readForEdit(file);
				}
				catch (WorkspaceFiles.StaleFileException stale) {
					return ToolResult.error(EditMessages.stale(rel, stale.fresh()));
				}
				catch (ToolException ex) {
					// binary or non-UTF-8 file being replaced by text: allowed, it is backed up first
				}
			}
			String backup = this.files.write(file, content);
			return ToolResult.ok((exists ? "Overwrote " : "Created ") + rel + " (" + lines + " lines)"
					+ (backup != null ? "; backup at " + backup : ""));
		});
	}

	private static String stripFence(Path file, String content) {
		String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		if (name.endsWith(".md") || name.endsWith(".markdown")) {
			return content;
		}
		String trimmed = content.strip();
		if (trimmed.startsWith("```") && trimmed.endsWith("```") && trimmed.length() > 6) {
			int firstEol = trimmed.indexOf('\n');
			int lastFence = trimmed.lastIndexOf("```");
			if (firstEol > 0 && lastFence > firstEol) {
				String inner = trimmed.substring(firstEol + 1, lastFence);
				return inner.endsWith("\n") ? inner : inner + "\n";
			}
		}
		return content;
	}

	static String preview(String content) {
		String[] lines = content.split("\n");
		StringBuilder out = new StringBuilder();
		int shown = Math.min(lines.length, 20);
		for (int i = 0; i < shown; i++) {
			out.append("  + ").append(lines[i]).append('\n');
		}
		if (lines.length > shown) {
			out.append("  … ").append(lines.length - shown).append(" more lines\n");
		}
		return out.toString().stripTrailing();
	}

}
