package dev.gambiarra.agent.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive descent over the text of one tool call, after its opening tag. Schema-aware: a raw parameter (file
 * content, a command) is read literally up to its own closing tag, so it may contain anything but that tag (or, in
 * a CDATA section, even that). Throws {@link Incomplete} when the text ends too early, {@link Malformed} when it
 * can never become a valid call.
 */
final class BodyParser {

	private static final String CDATA = "<![CDATA[";

	private final String text;

	private int pos;

	BodyParser(String text) {
		this.text = text;
	}

	/** Parses {@code …</tool>}; returns the call and leaves {@link #end()} just after the closing tag. */
	XmlElement parseTool(ToolDefinition tool) {
		Map<String, ParamSpec> top = new LinkedHashMap<>(tool.params());
		top.put("args", tool.argsSpec());
		return new XmlElement(tool.name(), null, children(tool.name(), top));
	}

	int end() {
		return this.pos;
	}

	private List<XmlElement> children(String parent, Map<String, ParamSpec> properties) {
		List<XmlElement> children = new ArrayList<>();
		String close = "</" + parent + ">";
		while (true) {
			skipWhitespace();
			if (this.pos >= this.text.length()) {
				throw new Incomplete(close);
			}
			if (this.text.startsWith("</", this.pos)) {
				expectClose(close);
				return children;
			}
			if (this.text.charAt(this.pos) != '<') {
				throw new Malformed("Unexpected text \"" + snippet(this.pos) + "\" inside <" + parent
						+ ">: only parameter elements belong there");
			}
			String name = openTag();
			ParamSpec spec = properties.get(name);
			if ((spec != null) ? (spec.isObject() && !startsWithText()) : looksLikeParent()) {
				children.add(new XmlElement(name, null, children(name, (spec != null) ? spec.properties() : Map.of())));
			}
			else {
				children.add(leaf(name, spec == null || spec.raw() || spec.isObject(), spec == null || spec.trim()));
			}
		}
	}

	private XmlElement leaf(String name, boolean raw, boolean trim) {
		String close = "</" + name + ">";
		int start = this.pos;
		int first = skipWhitespace(start);
		if (first < this.text.length() && this.text.charAt(first) == '<'
				&& isPrefixOrStart(CDATA, first)) {
			int end = this.text.indexOf("]]>", first + CDATA.length());
			if (end < 0) {
				throw new Incomplete("]]>");
			}
			String value = this.text.substring(first + CDATA.length(), end);
			this.pos = end + 3;
			skipWhitespace();
			expectClose(close);
			return XmlElement.leaf(name, value);
		}
		int end = this.text.indexOf(close, start);
		if (!raw) {
			int lt = this.text.indexOf('<', start);
			if (lt >= 0 && (end < 0 || lt < end) && (end >= 0 || !isPrefixOrStart(close, lt))) {
				throw new Malformed("The value of <" + name + "> contains '<' or is not closed with " + close
						+ "; write &lt; for a literal '<'");
			}
		}
		if (end < 0) {
			throw new Incomplete(close);
		}
		String value = this.text.substring(start, end);
		this.pos = end + close.length();
		if (!raw) {
			value = decode(value);
		}
		else if (value.startsWith("\r\n")) {
			value = value.substring(2);
		}
		else if (value.startsWith("\n")) {
			value = value.substring(1);
		}
		return XmlElement.leaf(name, trim ? value.strip() : value);
	}

	/** Reads {@code <name>} at the current position. */
	private String openTag() {
		int i = this.pos + 1;
		while (i < this.text.length() && isNameChar(this.text.charAt(i))) {
			i++;
		}
		if (i >= this.text.length()) {
			throw new Incomplete(">");
		}
		if (i == this.pos + 1 || this.text.charAt(i) != '>' || i - this.pos > 65) {
			throw new Malformed("Invalid tag \"" + snippet(this.pos) + "\": write parameters as <name>value</name>");
		}
		String name = this.text.substring(this.pos + 1, i);
		this.pos = i + 1;
		return name;
	}

	/** Whether the next element is a parent: after whitespace comes a tag that is neither a close nor CDATA. */
	private boolean looksLikeParent() {
		int next = skipWhitespace(this.pos);
		if (next >= this.text.length()) {
			throw new Incomplete("the value");
		}
		return this.text.charAt(next) == '<' && !isPrefixOrStart("</", next) && !isPrefixOrStart(CDATA, next);
	}

	/** Whether the element just opened starts with text (or CDATA) rather than a tag. */
	private boolean startsWithText() {
		int next = skipWhitespace(this.pos);
		if (next >= this.text.length()) {
			throw new Incomplete("the value");
		}
		return this.text.charAt(next) != '<' || isPrefixOrStart(CDATA, next);
	}

	private void expectClose(String close) {
		int available = this.text.length() - this.pos;
		if (available < close.length()) {
			if (close.startsWith(this.text.substring(this.pos))) {
				throw new Incomplete(close);
			}
		}
		else if (this.text.startsWith(close, this.pos)) {
			this.pos += close.length();
			return;
		}
		throw new Malformed("Expected " + close + " but found \"" + snippet(this.pos) + "\"");
	}

	/** Whether {@code token} starts at {@code at}, or the text ends with a beginning of it. */
	private boolean isPrefixOrStart(String token, int at) {
		int available = this.text.length() - at;
		if (available >= token.length()) {
			return this.text.startsWith(token, at);
		}
		return token.startsWith(this.text.substring(at));
	}

	private void skipWhitespace() {
		this.pos = skipWhitespace(this.pos);
	}

	private int skipWhitespace(int from) {
		int i = from;
		while (i < this.text.length() && Character.isWhitespace(this.text.charAt(i))) {
			i++;
		}
		return i;
	}

	private String snippet(int at) {
		String rest = this.text.substring(at, Math.min(this.text.length(), at + 30));
		int newline = rest.indexOf('\n');
		return (newline > 0) ? rest.substring(0, newline) : rest;
	}

	static boolean isNameChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
	}

	static String decode(String value) {
		if (value.indexOf('&') < 0) {
			return value;
		}
		return value.replace("&lt;", "<")
			.replace("&gt;", ">")
			.replace("&quot;", "\"")
			.replace("&apos;", "'")
			.replace("&amp;", "&");
	}

	/** The text ends before the call does; {@code expected} says what is still missing. */
	static final class Incomplete extends RuntimeException {

		Incomplete(String expected) {
			super(expected, null, false, false);
		}

	}

	/** The call can never parse; the message is meant for the model. */
	static final class Malformed extends RuntimeException {

		Malformed(String message) {
			super(message, null, false, false);
		}

	}

}
