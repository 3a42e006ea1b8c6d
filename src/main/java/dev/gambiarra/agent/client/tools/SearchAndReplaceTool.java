package dev.gambiarra.agent.client.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.gambiarra.agent.client.approval.RiskLevel;

/**
 * {@code search_and_replace}: replaces every occurrence of a literal text (or a regex with {@code use_regex}),
 * optionally ignoring case and limited to a 1-based inclusive line span. When the file changed on disk since the
 * agent last saw it, it is re-read first; the replacement then applies to the fresh text (a text match, unlike a
 * line number, does not go stale) and the model is told the file had changed.
 */
final class SearchAndReplaceTool implements Tool {

	private final WorkspaceFiles files;

	SearchAndReplaceTool(WorkspaceFiles files) {
		this.files = files;
	}

	@Override
	public String name() {
		return "search_and_replace";
	}

	@Override
	public PreparedCall prepare(ToolArgs args) {
		String path = args.nonBlank("path");
		Path file = this.files.forWrite(path);
		String search = args.string("search");
		if (search.isEmpty()) {
			throw new ToolException("Parameter 'search' must not be empty");
		}
		String replace = args.string("replace");
		boolean regex = args.flag("use_regex", false);
		boolean ignoreCase = args.flag("ignore_case", false);
		Integer startLine = args.optionalInt("start_line");
		Integer endLine = args.optionalInt("end_line");
		int flags = Pattern.MULTILINE | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
		Pattern pattern;
		try {
			pattern = regex ? Pattern.compile(search, flags) : Pattern.compile(Pattern.quote(search), flags);
		}
		catch (PatternSyntaxException ex) {
			throw new ToolException("Invalid regex: " + ex.getDescription());
		}
		String rel = this.files.relative(file);
		String summary = "Replace in " + rel + (startLine != null || endLine != null
				? " (lines " + (startLine == null ? 1 : startLine) + "-" + (endLine == null ? "end" : endLine) + ")" : "")
				+ "\n  - " + search.replace("\n", "\n  - ") + "\n  + " + replace.replace("\n", "\n  + ");
		return new PreparedCall(RiskLevel.MEDIUM, summary, () -> {
			String note = "";
			WorkspaceFiles.Text text;
			try {
				text = this.files.readForEdit(file);
			}
			catch (WorkspaceFiles.StaleFileException stale) {
				text = stale.fresh();
				note = " (" + rel + " had changed on disk since you last read it; the replacement was applied to its "
						+ "current content)";
			}
			String replacement = regex ? replace : Matcher.quoteReplacement(replace);
			String sep = text.separator();
			String content = text.content();
			int from = 0;
			int to = content.length();
			if (startLine != null || endLine != null) {
				int[] span = span(content, startLine == null ? 1 : startLine, endLine);
				from = span[0];
				to = span[1];
			}
			String region = content.substring(from, to);
			Matcher matcher = pattern.matcher(region);
			int count = 0;
			StringBuilder replaced = new StringBuilder();
			while (matcher.find()) {
				count++;
				matcher.appendReplacement(replaced, withSeparator(replacement, sep));
			}
			if (count == 0) {
				return ToolResult.error("No match for the search text in " + rel + note
						+ ". Read the file again and copy the text exactly.");
			}
			matcher.appendTail(replaced);
			String updated = content.substring(0, from) + replaced + content.substring(to);
			String backup = this.files.write(file, updated);
			return ToolResult.ok("Replaced " + count + (count == 1 ? " occurrence" : " occurrences") + " in " + rel
					+ note + (backup != null ? "; backup at " + backup : ""));
		});
	}

	private static String withSeparator(String text, String sep) {
		return sep.equals("\r\n") ? text.replace("\r\n", "\n").replace("\n", "\r\n") : text;
	}

	/** Character offsets of lines {@code start..end} (1-based, inclusive; null end means the last line). */
	private static int[] span(String content, int start, Integer end) {
		List<Integer> starts = new ArrayList<>();
		starts.add(0);
		for (int i = 0; i < content.length(); i++) {
			if (content.charAt(i) == '\n' && i + 1 < content.length()) {
				starts.add(i + 1);
			}
		}
		int last = starts.size();
		int endLine = (end == null) ? last : Math.min(end, last);
		if (start < 1 || start > last || endLine < start) {
			throw new ToolException("Invalid line span " + start + "-" + (end == null ? "end" : end) + ": the file has "
					+ last + " lines");
		}
		int from = starts.get(start - 1);
		int to = (endLine < last) ? starts.get(endLine) : content.length();
		return new int[] { from, to };
	}

}
