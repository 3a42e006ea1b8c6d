package dev.gambiarra.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import dev.gambiarra.agent.provider.ChatMessage;

/**
 * A session's conversation, kept within a token budget: when it grows past the budget, the oldest messages are
 * dropped (whole user/assistant exchanges, so the history still starts with a user message) and the model is told
 * that earlier context was trimmed. Tokens are estimated as characters / 4. Thread-safe.
 */
final class Conversation {

	static final String TRIMMED_NOTE = "[Earlier messages of this conversation were removed to save space.]";

	private final int budgetTokens;

	private final ArrayDeque<ChatMessage> messages = new ArrayDeque<>();

	private long chars;

	private int trimmed;

	Conversation(int budgetTokens) {
		this.budgetTokens = budgetTokens;
	}

	static int tokens(long chars) {
		return (int) Math.min(Integer.MAX_VALUE, (chars + 3) / 4);
	}

	synchronized void add(ChatMessage message) {
		this.messages.addLast(message);
		this.chars += message.content().length();
	}

	/** The messages to send: the system prompt, then as much recent history as fits the budget. */
	synchronized List<ChatMessage> messages(String systemPrompt) {
		long budgetChars = (long) this.budgetTokens * 4 - systemPrompt.length() - TRIMMED_NOTE.length();
		while (this.chars > budgetChars && this.messages.size() > 1) {
			dropOldest();
			while (this.messages.size() > 1 && !this.messages.peekFirst().role().equals("user")) {
				dropOldest();
			}
		}
		List<ChatMessage> result = new ArrayList<>(this.messages.size() + 2);
		result.add(ChatMessage.system(systemPrompt));
		if (this.trimmed > 0) {
			result.add(ChatMessage.user(TRIMMED_NOTE));
			result.add(ChatMessage.assistant("Understood."));
		}
		for (ChatMessage message : this.messages) {
			if (message == this.messages.peekLast() && this.chars > budgetChars && budgetChars > 0) {
				// a single message larger than the whole budget: keep its beginning
				String content = message.content();
				int keep = (int) Math.max(0, Math.min(content.length(), budgetChars));
				result.add(new ChatMessage(message.role(), content.substring(0, keep) + "\n[…cut to fit]"));
			}
			else {
				result.add(message);
			}
		}
		return result;
	}

	synchronized int size() {
		return this.messages.size();
	}

	synchronized int trimmed() {
		return this.trimmed;
	}

	synchronized int estimatedTokens() {
		return tokens(this.chars);
	}

	private void dropOldest() {
		ChatMessage removed = this.messages.removeFirst();
		this.chars -= removed.content().length();
		this.trimmed++;
	}

}
