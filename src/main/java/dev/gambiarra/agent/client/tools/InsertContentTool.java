package dev.gambiarra.agent.client.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.gambiarra.agent.client.approval.RiskLevel;

/**
 * {@code insert_content}: inserts lines before a 1-based line ({@code 0}, or one past the end, appends). Line
 * numbers go stale when a file changes, so a file that changed on disk since the agent read it is not edited: the
 * fresh content goes back to the model, which redoes the insert against it. A file that does not exist yet is
 * created when the line is 0 or 1.
 */
final class InsertContentTool implements Tool {

	private final WorkspaceFiles files;

	InsertContentTool(WorkspaceFiles files) {
		this.files = files;
	}

	@Override
	public String name() {
		return "insert_content";
	}

	@Override
	public PreparedCall prepare(ToolArgs args) {
		String path = args.nonBlank("path");
		Path file = this.files.forWrite(path);
		Integer line = args.optionalInt("line");
		if (line == null) {
			throw new ToolException("Missing required parameter 'line'");
		}
		if (line < 0) {
			throw new ToolException("Parameter 'line' must be 0 (append) or a 1-based line number");
		}
		String content = args.string("content");
		String problem = ContentValidator.problem(content, null);
		if (problem != null) {
			throw new ToolException(problem);
		}
		String rel = this.files.relative(file);
		String where = (line == 0) ? "at the end of " + rel : "before line " + line + " of " + rel;
		String summary = "Insert " + ContentValidator.countLines(content) + " lines " + where + "\n"
				+ WriteToFileTool.preview(content);
		return new PreparedCall(RiskLevel.MEDIUM, summary, () -> {
			if (!Files.exists(file)) {
				if (line > 1) {
					return ToolResult.error("File not found: " + rel + " (a new file can only be started at line 0 or 1)");
				}
				String created = content.endsWith("\n") || content.isEmpty() ? content : content + "\n";
				this.files.write(file, created);
				return ToolResult.ok("Created " + rel + " with " + ContentValidator.countLines(created) + " lines");
			}
			WorkspaceFiles.Text text;
			try {
				text = this.files.readForEdit(file);
			}
			catch (WorkspaceFiles.StaleFileException stale) {
				return ToolResult.error(EditMessages.stale(rel, stale.fresh()));
			}
			List<String> lines = new ArrayList<>(text.lines());
			if (line > lines.size() + 1) {
				return ToolResult.error("Line " + line + " is past the end of " + rel + " (" + lines.size()
						+ " lines); use 0 to append");
			}
			List<String> inserted = new WorkspaceFiles.Text(content).lines();
			int at = (line == 0) ? lines.size() : line - 1;
			lines.addAll(at, inserted);
			String sep = text.separator();
			String updated = String.join(sep, lines) + ((text.endsWithNewline() || text.content().isEmpty()) ? sep : "");
			String backup = this.files.write(file, updated);
			return ToolResult.ok("Inserted " + inserted.size() + " lines " + where
					+ (backup != null ? "; backup at " + backup : ""));
		});
	}

}
