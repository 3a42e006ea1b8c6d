package dev.gambiarra.agent.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The incremental parser on a table of inputs, each fed whole, one character at a time, and in chunks of every size
 * from 2 to 9: the outcome must not depend on where the chunks split.
 */
class ToolCallParserTests {

	static final ToolRegistry registry = ToolRegistry.load(JsonMapper.builder().build(), null);

	/** What the parser produced: all prose, then the call rendered compactly, or the malformed message. */
	record Outcome(String prose, @Nullable String call, @Nullable String malformed, String transcript) {
	}

	static Stream<Arguments> cases() {
		return Stream.of(
				arguments("prose only", "Hello, I can help with that. 1 < 2 and a <div> is not a tool.",
						"Hello, I can help with that. 1 < 2 and a <div> is not a tool.", null, null),
				arguments("well-formed",
						"Reading.\n<read_file>\n<args>\n<file>\n<path>src/a.py</path>\n<line_range>1-20</line_range>\n"
								+ "</file>\n</args>\n</read_file>",
						"Reading.\n", "read_file(args(file(path=src/a.py,line_range=1-20)))", null),
				arguments("nested and repeated",
						"<ask_followup_question><args><question>Which?</question><follow_up><suggest>a</suggest>"
								+ "<suggest>b</suggest></follow_up></args></ask_followup_question>",
						"", "ask_followup_question(args(question=Which?,follow_up(suggest=a,suggest=b)))", null),
				arguments("escaped value and raw content",
						"<write_to_file><args><path>a&amp;b.txt</path><content>\nif (a < b && c > d) {}\n&amp;\n"
								+ "</content></args></write_to_file>",
						"", "write_to_file(args(path=a&b.txt,content=if (a < b && c > d) {}\\n&amp;\\n))", null),
				arguments("cdata keeps a closing tag",
						"<write_to_file><args><path>x.xml</path><content><![CDATA[<content>x</content>]]></content>"
								+ "</args></write_to_file>",
						"", "write_to_file(args(path=x.xml,content=<content>x</content>))", null),
				arguments("raw content containing the tool's closing tag",
						"<write_to_file><args><path>d.md</path><content>use </write_to_file> to close\n</content>"
								+ "</args></write_to_file>",
						"", "write_to_file(args(path=d.md,content=use </write_to_file> to close\\n))", null),
				arguments("parameters without args", "<list_files><path>.</path></list_files>", "",
						"list_files(path=.)", null),
				arguments("text after the call is ignored",
						"<list_files><args><path>src</path></args></list_files>\nand more <read_file>", "",
						"list_files(args(path=src))", null),
				arguments("unknown tag is prose",
						"<thinking>hmm</thinking> ok", "<thinking>hmm</thinking> ok", null, null),
				arguments("a prefix of a tool name at the end is prose", "see <read_fi", "see <read_fi", null, null),
				arguments("mismatched closing tag",
						"<list_files><args><path>src</path></list_files>", "", null, "Expected </args>"),
				arguments("'<' inside a plain value",
						"<list_files><args><path>a<b</path></args></list_files>", "", null, "contains '<'"),
				arguments("stream ends inside the call",
						"Let me write.<write_to_file><args><path>a</path><content>abc", "Let me write.", null,
						"ended before </content>"),
				arguments("text where parameters belong is left to the validator",
						"<list_files><args>oops<path>src</path></args></list_files>", "",
						"list_files(args=oops<path>src</path>)", null),
				arguments("stray text after a parameter",
						"<list_files><args><path>src</path>oops</args></list_files>", "", null, "Unexpected text"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void parsesTheSameWhereverChunksSplit(String name, String input, String prose, @Nullable String call,
			@Nullable String malformed) {
		List<Outcome> outcomes = new ArrayList<>();
		outcomes.add(parse(List.of(input)));
		for (int size = 1; size <= 9; size++) {
			outcomes.add(parse(split(input, size)));
		}
		for (Outcome outcome : outcomes) {
			assertThat(outcome.prose()).isEqualTo(prose);
			assertThat(outcome.call()).isEqualTo(call);
			if (malformed == null) {
				assertThat(outcome.malformed()).isNull();
			}
			else {
				assertThat(outcome.malformed()).contains(malformed);
			}
		}
		assertThat(outcomes).extracting(Outcome::transcript).containsOnly(outcomes.get(0).transcript());
	}

	@Test
	void releasesProseAsSoonAsItCannotBeATag() {
		ToolCallParser parser = new ToolCallParser(registry, 10_000);
		assertThat(parser.feed("Hello <re")).containsExactly(new ParseEvent.Text("Hello "));
		assertThat(parser.feed("x> world")).containsExactly(new ParseEvent.Text("<rex> world"));
		assertThat(parser.feed("<list_")).isEmpty();
		List<ParseEvent> events = parser.feed("files><path>.</path></list_files>");
		assertThat(events).hasSize(1).first().isInstanceOf(ParseEvent.Call.class);
		assertThat(parser.isDone()).isTrue();
		assertThat(parser.transcript()).isEqualTo("Hello <rex> world<list_files><path>.</path></list_files>");
	}

	@Test
	void boundsWhatItHolds() {
		ToolCallParser parser = new ToolCallParser(registry, 100);
		List<ParseEvent> events = new ArrayList<>(parser.feed("<write_to_file><args><path>a</path><content>"));
		events.addAll(parser.feed("x".repeat(200)));
		assertThat(events).last().isInstanceOfSatisfying(ParseEvent.Malformed.class,
				(m) -> assertThat(m.message()).contains("longer than 100"));
		assertThat(parser.feed("</content></args></write_to_file>")).isEmpty();
	}

	static Outcome parse(List<String> chunks) {
		ToolCallParser parser = new ToolCallParser(registry, 100_000);
		List<ParseEvent> events = new ArrayList<>();
		chunks.forEach((chunk) -> events.addAll(parser.feed(chunk)));
		events.addAll(parser.finish());
		StringBuilder prose = new StringBuilder();
		String call = null;
		String malformed = null;
		for (ParseEvent event : events) {
			if (event instanceof ParseEvent.Text text) {
				assertThat(call).as("prose after the call").isNull();
				prose.append(text.text());
			}
			else if (event instanceof ParseEvent.Call found) {
				assertThat(call).as("a second call").isNull();
				call = render(found.call());
			}
			else if (event instanceof ParseEvent.Malformed bad) {
				malformed = bad.message();
			}
		}
		return new Outcome(prose.toString(), call, malformed, parser.transcript());
	}

	static List<String> split(String input, int size) {
		List<String> chunks = new ArrayList<>();
		for (int i = 0; i < input.length(); i += size) {
			chunks.add(input.substring(i, Math.min(input.length(), i + size)));
		}
		return chunks;
	}

	static String render(XmlElement element) {
		if (element.isLeaf()) {
			return element.name() + "=" + element.text().replace("\n", "\\n");
		}
		return element.name() + "(" + String.join(",", element.children().stream().map(ToolCallParserTests::render)
			.toList()) + ")";
	}

}
