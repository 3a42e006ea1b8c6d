package dev.gambiarra.agent.tools;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Finds the first tool call in a model's streamed answer, chunk by chunk. Prose before it comes out as
 * {@link ParseEvent.Text} as soon as it cannot be the start of a tool tag (a tag split across chunks is held back
 * until it is decided); the call comes out once, complete ({@link ParseEvent.Call}) or not
 * ({@link ParseEvent.Malformed}), and everything after it is ignored: the model makes one call per message.
 * Memory is bounded by {@code maxChars} (prose plus call). Not thread-safe: one parser per model turn.
 */
public final class ToolCallParser {

	private final ToolRegistry registry;

	private final int maxChars;

	/** Outside a call: text not yet decided; inside: the call's text after its opening tag. */
	private final StringBuilder pending = new StringBuilder();

	/** What the model said up to the end of the call: the assistant message kept in the conversation. */
	private final StringBuilder transcript = new StringBuilder();

	private @Nullable ToolDefinition tool;

	private int closeSearchFrom;

	private boolean done;

	public ToolCallParser(ToolRegistry registry, int maxChars) {
		this.registry = registry;
		this.maxChars = maxChars;
	}

	/** Consumes the next chunk of the stream. */
	public List<ParseEvent> feed(String chunk) {
		List<ParseEvent> events = new ArrayList<>(2);
		if (this.done || chunk.isEmpty()) {
			return events;
		}
		this.pending.append(chunk);
		if (this.tool == null) {
			scanProse(events);
		}
		else {
			scanCall(events);
		}
		return events;
	}

	/** The stream ended: releases held-back prose, or reports a call that was never closed. */
	public List<ParseEvent> finish() {
		List<ParseEvent> events = new ArrayList<>(1);
		if (this.done) {
			return events;
		}
		this.done = true;
		ToolDefinition current = this.tool;
		if (current == null) {
			text(events, this.pending.toString());
		}
		else {
			this.transcript.append(this.pending);
			try {
				new BodyParser(this.pending.toString()).parseTool(current);
				events.add(new ParseEvent.Malformed(current.name(), "The <" + current.name() + "> call is incomplete"));
			}
			catch (BodyParser.Incomplete ex) {
				events.add(new ParseEvent.Malformed(current.name(), "The <" + current.name()
						+ "> call ended before " + ex.getMessage() + ": close every element you open"));
			}
			catch (BodyParser.Malformed ex) {
				events.add(new ParseEvent.Malformed(current.name(), ex.getMessage()));
			}
		}
		this.pending.setLength(0);
		return events;
	}

	/** The assistant's message as the conversation should remember it: prose, then the call. */
	public String transcript() {
		return this.transcript.toString();
	}

	public boolean isDone() {
		return this.done;
	}

	private void scanProse(List<ParseEvent> events) {
		int from = 0;
		int length = this.pending.length();
		StringBuilder prose = new StringBuilder();
		while (true) {
			int lt = this.pending.indexOf("<", from);
			if (lt < 0) {
				prose.append(this.pending, from, length);
				from = length;
				break;
			}
			prose.append(this.pending, from, lt);
			int i = lt + 1;
			while (i < length && BodyParser.isNameChar(this.pending.charAt(i))) {
				i++;
			}
			String name = this.pending.substring(lt + 1, i);
			if (i == length) {
				if (name.length() <= this.registry.longestName() && this.registry.isToolPrefix(name)) {
					from = lt; // maybe the start of a tool tag: wait for more
					break;
				}
			}
			else if (this.pending.charAt(i) == '>' && this.registry.isTool(name)) {
				text(events, prose.toString());
				this.tool = this.registry.find(name);
				this.transcript.append(this.pending, lt, i + 1);
				this.pending.delete(0, i + 1);
				this.closeSearchFrom = 0;
				scanCall(events);
				return;
			}
			prose.append('<');
			from = lt + 1;
		}
		this.pending.delete(0, from);
		text(events, prose.toString());
		if (this.transcript.length() + this.pending.length() > this.maxChars) {
			this.done = true;
			events.add(new ParseEvent.Malformed("", "Your message is longer than " + this.maxChars
					+ " characters; keep prose short and make one tool call per message"));
		}
	}

	private void scanCall(List<ParseEvent> events) {
		ToolDefinition current = this.tool;
		if (current == null) {
			return;
		}
		if (this.transcript.length() + this.pending.length() > this.maxChars) {
			this.done = true;
			this.transcript.append(this.pending);
			events.add(new ParseEvent.Malformed(current.name(), "The <" + current.name() + "> call is longer than "
					+ this.maxChars + " characters; split the work into smaller calls"));
			return;
		}
		String close = "</" + current.name() + ">";
		int at = this.pending.indexOf(close, Math.max(0, this.closeSearchFrom - close.length()));
		this.closeSearchFrom = this.pending.length();
		if (at < 0) {
			return;
		}
		BodyParser parser = new BodyParser(this.pending.toString());
		try {
			XmlElement call = parser.parseTool(current);
			this.done = true;
			this.transcript.append(this.pending, 0, parser.end());
			events.add(new ParseEvent.Call(call));
		}
		catch (BodyParser.Incomplete ex) {
			// the closing tag was inside a raw value: keep reading
		}
		catch (BodyParser.Malformed ex) {
			this.done = true;
			this.transcript.append(this.pending, 0, at + close.length());
			events.add(new ParseEvent.Malformed(current.name(), ex.getMessage()));
		}
	}

	private void text(List<ParseEvent> events, String text) {
		if (!text.isEmpty()) {
			this.transcript.append(text);
			events.add(new ParseEvent.Text(text));
		}
	}

}
