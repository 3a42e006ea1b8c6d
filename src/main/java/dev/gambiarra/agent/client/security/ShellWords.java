package dev.gambiarra.agent.client.security;

import java.util.ArrayList;
import java.util.List;

/**
 * A small POSIX-shell lexer, enough to see what a command line would run: it splits the line into pipelines of simple
 * commands, removes quotes and backslash escapes the way the shell would ({@code r''m} and {@code \rm} are both
 * {@code rm}), collects output redirections, and lifts the text of command substitutions ({@code $(...)}, backticks,
 * {@code <(...)}) into their own command lines so they are checked too. It never expands variables: a word that
 * still contains {@code $} is reported as such.
 */
final class ShellWords {

	/** One simple command: its words (quotes removed) and the targets of its output redirections. */
	record SimpleCommand(List<String> words, List<String> writes) {
	}

	/** Commands joined by {@code |}. */
	record Pipeline(List<SimpleCommand> commands) {
	}

	/** The parsed line: its pipelines and the inner command lines found in substitutions. */
	record Parsed(List<Pipeline> pipelines, List<String> substitutions) {
	}

	static final class ParseException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		ParseException(String message) {
			super(message);
		}

	}

	private final String text;

	private int pos;

	private final List<Pipeline> pipelines = new ArrayList<>();

	private final List<String> substitutions = new ArrayList<>();

	private List<SimpleCommand> pipeline = new ArrayList<>();

	private List<String> words = new ArrayList<>();

	private List<String> writes = new ArrayList<>();

	private final StringBuilder word = new StringBuilder();

	private boolean inWord;

	private boolean redirectPending;

	private boolean redirectIsWrite;

	private String heredocDelimiter = null;

	private ShellWords(String text) {
		this.text = text;
	}

	static Parsed parse(String line) {
		ShellWords lexer = new ShellWords(line);
		lexer.run();
		return new Parsed(List.copyOf(lexer.pipelines), List.copyOf(lexer.substitutions));
	}

	private void run() {
		int n = this.text.length();
		while (this.pos < n) {
			char c = this.text.charAt(this.pos);
			switch (c) {
				case ' ', '\t', '\r' -> {
					endWord();
					this.pos++;
				}
				case '\n' -> {
					endCommand(true);
					this.pos++;
					skipHeredoc();
				}
				case ';' -> {
					endCommand(true);
					this.pos++;
				}
				case '&' -> {
					if (peek(1) == '&') {
						endCommand(true);
						this.pos += 2;
					}
					else if (peek(1) == '>') {
						endWord();
						this.pos += 2;
						if (peek(0) == '>') {
							this.pos++;
						}
						startRedirect(true);
					}
					else {
						endCommand(true);
						this.pos++;
					}
				}
				case '|' -> {
					if (peek(1) == '|') {
						endCommand(true);
						this.pos += 2;
					}
					else {
						endCommand(false);
						this.pos += (peek(1) == '&') ? 2 : 1;
					}
				}
				case '(', ')', '{', '}' -> {
					if (this.inWord && (c == '{' || c == '}')) {
						this.word.append(c);
						this.pos++;
					}
					else {
						endCommand(true);
						this.pos++;
					}
				}
				case '<', '>' -> redirect(c);
				case '\'' -> {
					int close = this.text.indexOf('\'', this.pos + 1);
					if (close < 0) {
						throw new ParseException("unbalanced single quote");
					}
					this.word.append(this.text, this.pos + 1, close);
					this.inWord = true;
					this.pos = close + 1;
				}
				case '"' -> doubleQuoted();
				case '\\' -> {
					if (this.pos + 1 < n) {
						char next = this.text.charAt(this.pos + 1);
						if (next != '\n') {
							this.word.append(next);
							this.inWord = true;
						}
						this.pos += 2;
					}
					else {
						this.pos++;
					}
				}
				case '`' -> {
					int close = this.text.indexOf('`', this.pos + 1);
					if (close < 0) {
						throw new ParseException("unbalanced backquote");
					}
					this.substitutions.add(this.text.substring(this.pos + 1, close));
					this.word.append("$(...)");
					this.inWord = true;
					this.pos = close + 1;
				}
				case '$' -> dollar();
				case '#' -> {
					if (!this.inWord) {
						while (this.pos < n && this.text.charAt(this.pos) != '\n') {
							this.pos++;
						}
					}
					else {
						this.word.append(c);
						this.pos++;
					}
				}
				default -> {
					this.word.append(c);
					this.inWord = true;
					this.pos++;
				}
			}
		}
		endCommand(true);
	}

	private char peek(int offset) {
		int at = this.pos + offset;
		return at < this.text.length() ? this.text.charAt(at) : '\0';
	}

	private void dollar() {
		if (peek(1) == '(') {
			this.pos++;
			boolean arithmetic = peek(1) == '(';
			String inner = balanced('(', ')');
			if (!arithmetic) {
				this.substitutions.add(inner);
			}
			this.word.append("$(...)");
		}
		else if (peek(1) == '{') {
			this.pos++;
			String inner = balanced('{', '}');
			this.word.append("${").append(inner).append('}');
		}
		else {
			this.word.append('$');
			this.pos++;
		}
		this.inWord = true;
	}

	/** Returns the text between the bracket at {@code pos} and its match; leaves {@code pos} after the match. */
	private String balanced(char open, char close) {
		int depth = 0;
		int start = this.pos + 1;
		for (int i = this.pos; i < this.text.length(); i++) {
			char c = this.text.charAt(i);
			if (c == '\\') {
				i++;
			}
			else if (c == '\'' && open == '(') {
				int end = this.text.indexOf('\'', i + 1);
				if (end < 0) {
					throw new ParseException("unbalanced single quote");
				}
				i = end;
			}
			else if (c == open) {
				depth++;
			}
			else if (c == close) {
				depth--;
				if (depth == 0) {
					this.pos = i + 1;
					return this.text.substring(start, i);
				}
			}
		}
		throw new ParseException("unbalanced '" + open + "'");
	}

	private void doubleQuoted() {
		this.inWord = true;
		this.pos++;
		while (this.pos < this.text.length()) {
			char c = this.text.charAt(this.pos);
			if (c == '"') {
				this.pos++;
				return;
			}
			if (c == '\\' && this.pos + 1 < this.text.length()) {
				char next = this.text.charAt(this.pos + 1);
				if ("\"\\$`\n".indexOf(next) >= 0) {
					if (next != '\n') {
						this.word.append(next);
					}
					this.pos += 2;
					continue;
				}
				this.word.append(c);
				this.pos++;
			}
			else if (c == '$') {
				dollar();
			}
			else if (c == '`') {
				int close = this.text.indexOf('`', this.pos + 1);
				if (close < 0) {
					throw new ParseException("unbalanced backquote");
				}
				this.substitutions.add(this.text.substring(this.pos + 1, close));
				this.word.append("$(...)");
				this.pos = close + 1;
			}
			else {
				this.word.append(c);
				this.pos++;
			}
		}
		throw new ParseException("unbalanced double quote");
	}

	private void redirect(char c) {
		if (peek(1) == '(') {
			// process substitution <(...) or >(...)
			this.pos++;
			this.substitutions.add(balanced('(', ')'));
			this.word.append("$(...)");
			this.inWord = true;
			return;
		}
		boolean fdPrefix = this.inWord && this.word.chars().allMatch(Character::isDigit);
		if (fdPrefix) {
			this.word.setLength(0);
			this.inWord = false;
		}
		else {
			endWord();
		}
		this.pos++;
		if (c == '<') {
			if (peek(0) == '<') {
				this.pos++;
				if (peek(0) == '<') {
					this.pos++;
					startRedirect(false);
					return;
				}
				if (peek(0) == '-') {
					this.pos++;
				}
				this.heredocDelimiter = "";
				startRedirect(false);
				return;
			}
			if (peek(0) == '&') {
				this.pos++;
			}
			startRedirect(false);
			return;
		}
		if (peek(0) == '>' || peek(0) == '|') {
			this.pos++;
		}
		if (peek(0) == '&') {
			this.pos++;
			while (Character.isDigit(peek(0)) || peek(0) == '-') {
				this.pos++;
			}
			if (Character.isWhitespace(peek(0)) || peek(0) == '\0' || ";&|)".indexOf(peek(0)) >= 0) {
				return;
			}
		}
		startRedirect(true);
	}

	private void startRedirect(boolean write) {
		this.redirectPending = true;
		this.redirectIsWrite = write;
	}

	private void endWord() {
		if (!this.inWord) {
			return;
		}
		String value = this.word.toString();
		this.word.setLength(0);
		this.inWord = false;
		if (this.redirectPending) {
			this.redirectPending = false;
			if (this.heredocDelimiter != null && this.heredocDelimiter.isEmpty()) {
				this.heredocDelimiter = value;
			}
			else if (this.redirectIsWrite) {
				this.writes.add(value);
			}
			return;
		}
		this.words.add(value);
	}

	private void endCommand(boolean endPipeline) {
		endWord();
		if (!this.words.isEmpty() || !this.writes.isEmpty()) {
			this.pipeline.add(new SimpleCommand(List.copyOf(this.words), List.copyOf(this.writes)));
		}
		this.words = new ArrayList<>();
		this.writes = new ArrayList<>();
		this.redirectPending = false;
		if (endPipeline && !this.pipeline.isEmpty()) {
			this.pipelines.add(new Pipeline(List.copyOf(this.pipeline)));
			this.pipeline = new ArrayList<>();
		}
	}

	/** After a newline that follows a here-document operator, skips the document's body. */
	private void skipHeredoc() {
		String delimiter = this.heredocDelimiter;
		this.heredocDelimiter = null;
		if (delimiter == null || delimiter.isEmpty()) {
			return;
		}
		while (this.pos < this.text.length()) {
			int eol = this.text.indexOf('\n', this.pos);
			int end = eol < 0 ? this.text.length() : eol;
			String line = this.text.substring(this.pos, end).strip();
			this.pos = eol < 0 ? end : eol + 1;
			if (line.equals(delimiter)) {
				return;
			}
		}
	}

}
