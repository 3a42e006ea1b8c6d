package dev.gambiarra.agent;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gambiarra.agent.provider.ChatMessage;

import static org.assertj.core.api.Assertions.assertThat;

/** The conversation stays within its token budget by dropping whole old exchanges. */
class ConversationTests {

	@Test
	void keepsEverythingWhileItFits() {
		Conversation conversation = new Conversation(1000);
		conversation.add(ChatMessage.user("hello"));
		conversation.add(ChatMessage.assistant("hi"));
		assertThat(conversation.messages("sys")).extracting(ChatMessage::role)
			.containsExactly("system", "user", "assistant");
		assertThat(conversation.trimmed()).isZero();
	}

	@Test
	void dropsTheOldestExchangesFirstAndSaysSo() {
		Conversation conversation = new Conversation(1000); // about 4000 characters
		for (int i = 0; i < 10; i++) {
			conversation.add(ChatMessage.user("question " + i + " " + "q".repeat(400)));
			conversation.add(ChatMessage.assistant("answer " + i + " " + "a".repeat(400)));
		}
		conversation.add(ChatMessage.user("last question"));
		List<ChatMessage> messages = conversation.messages("system prompt");
		int chars = messages.stream().mapToInt((m) -> m.content().length()).sum();
		assertThat(Conversation.tokens(chars)).isLessThanOrEqualTo(1000);
		assertThat(messages.get(0).role()).isEqualTo("system");
		assertThat(messages.get(1).content()).isEqualTo(Conversation.TRIMMED_NOTE);
		assertThat(messages.get(3).role()).isEqualTo("user");
		assertThat(messages.get(3).content()).doesNotStartWith("question 0 ");
		assertThat(messages.get(messages.size() - 1).content()).isEqualTo("last question");
		assertThat(conversation.trimmed()).isPositive();
	}

	@Test
	void cutsASingleMessageLargerThanTheBudget() {
		Conversation conversation = new Conversation(1000);
		conversation.add(ChatMessage.user("x".repeat(10_000)));
		List<ChatMessage> messages = conversation.messages("sys");
		assertThat(messages.get(messages.size() - 1).content()).endsWith("[…cut to fit]").hasSizeLessThan(4100);
	}

}
