package dev.gambiarra.agent.client.tools;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Catches the classic ways a model hands over less than a whole file: a declared {@code line_count} that does not
 * match the content, and placeholder comments such as {@code // rest of code unchanged} or
 * {@code # ... existing code ...}. Only comment-like lines are checked for placeholders, so prose that merely
 * mentions "the rest of the code" in a Markdown file passes.
 */
final class ContentValidator {

	private static final List<Pattern> PLACEHOLDERS = List.of(
			Pattern.compile("\\brest of (the )?(code|file|class|function|method|implementation|content|module|component|"
					+ "document|logic|body|imports?)\\b"),
			Pattern.compile("\\b(existing|previous|remaining|other|original|unchanged|same|old) (code|content|"
					+ "implementation|methods?|functions?|imports?|logic|properties|fields|tests|lines)\\b.*"
					+ "(unchanged|here|remains?|omitted|goes here|as (before|is)|\\.\\.\\.|…)"),
			Pattern.compile("(\\.\\.\\.|…)\\s*\\(?\\s*(existing|rest|remaining|previous|other|unchanged|same|more|"
					+ "original)\\b"),
			Pattern.compile("\\b(code|content|implementation|methods?|everything) (above|below|here)? ?"
					+ "(unchanged|omitted|truncated|elided|remains the same|stays the same)\\b"),
			Pattern.compile("\\b(remains?|stays?|left|kept) (unchanged|the same|as (before|is))\\b"),
			Pattern.compile("^\\[?\\s*(\\.\\.\\.|…|truncated|omitted)\\s*\\]?$"));

	private static final Pattern COMMENT = Pattern.compile("^\\s*(//+|#+|/\\*+|\\*+|<!--|--|;+|%|\\{/\\*|'|rem\\b|"
			+ "\\.\\.\\.|…|\\[)\\s*(.*?)\\s*(\\*/|-->|\\*/\\})?\\s*$", Pattern.CASE_INSENSITIVE);

	private ContentValidator() {
	}

	/** Lines the way a person counts them: a final newline does not start another line. */
	static int countLines(String content) {
		if (content.isEmpty()) {
			return 0;
		}
		int lines = 1;
		for (int i = 0; i < content.length(); i++) {
			if (content.charAt(i) == '\n' && i < content.length() - 1) {
				lines++;
			}
		}
		return lines;
	}

	/**
	 * Checks the content.
	 * @param content the content to write
	 * @param declaredLines the model's {@code line_count}, or null
	 * @return a message for the model when the content looks incomplete, else null
	 */
	static @Nullable String problem(String content, @Nullable Integer declaredLines) {
		int actual = countLines(content);
		if (declaredLines != null && declaredLines != actual
				&& !(content.endsWith("\n") && declaredLines == actual + 1)) {
			return "The content has " + actual + " lines but line_count says " + declaredLines
					+ ". The content may be truncated: send the complete file with the correct line_count.";
		}
		String[] lines = content.split("\r?\n");
		for (int i = 0; i < lines.length; i++) {
			String placeholder = placeholder(lines[i]);
			if (placeholder != null) {
				return "Line " + (i + 1) + " looks like a placeholder for omitted code (\"" + placeholder.strip()
						+ "\"). Write the complete file content, or use search_and_replace / insert_content for "
						+ "partial edits.";
			}
		}
		return null;
	}

	private static @Nullable String placeholder(String line) {
		if (line.length() > 160) {
			return null;
		}
		var m = COMMENT.matcher(line);
		if (!m.matches()) {
			return null;
		}
		String marker = m.group(1);
		String text = m.group(2).toLowerCase(Locale.ROOT);
		String candidate = (marker.equals("...") || marker.equals("…") || marker.equals("[")) ? line.strip()
			.toLowerCase(Locale.ROOT) : text;
		for (Pattern pattern : PLACEHOLDERS) {
			if (pattern.matcher(candidate).find()) {
				return line;
			}
		}
		return null;
	}

}
