package dev.gambiarra.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.gambiarra.agent.AgentSession.Task;
import dev.gambiarra.agent.provider.ChatMessage;
import dev.gambiarra.agent.provider.ProviderException;
import dev.gambiarra.agent.tools.ParseEvent;
import dev.gambiarra.agent.tools.ToolCallParser;
import dev.gambiarra.agent.tools.ToolRegistry;
import dev.gambiarra.agent.tools.ToolValidator;
import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;

/**
 * Runs a task: model turn, parse, validate, act, feed the outcome back, next turn, until the model completes, the
 * task fails or the client cancels. One tool call per turn: the model's stream is cancelled as soon as a call is
 * complete. An invalid call goes back to the model with the validation error; the client never sees it.
 */
class AgentLoop {

	private static final Logger logger = LoggerFactory.getLogger(AgentLoop.class);

	private static final Pattern TODO = Pattern.compile("^\\s*(?:[-*]\\s+)?\\[([ xX~-])\\]\\s*(.*)$");

	private static final int MAX_TODOS = 100;

	private final ToolRegistry registry;

	private final ToolValidator validator;

	private final AgentProperties properties;

	private final EventBus events;

	AgentLoop(ToolRegistry registry, AgentProperties properties, EventBus events) {
		this.registry = registry;
		this.validator = new ToolValidator(registry);
		this.properties = properties;
		this.events = events;
	}

	/** The whole task; subscribe once. Never errors: every failure ends the task with {@code task.failed}. */
	Mono<Void> run(AgentSession session, Task task) {
		return Mono.defer(() -> turn(session, task))
			.onErrorResume((ex) -> {
				if (ex instanceof ProviderException provider) {
					fail(session, task, provider.code(), provider.getMessage());
				}
				else {
					logger.error("Agent session {} task {} failed", session.id(), task.id, ex);
					fail(session, task, "internal", "Internal error in the agent");
				}
				return Mono.empty();
			});
	}

	private Mono<Void> turn(AgentSession session, Task task) {
		if (task.turns >= this.properties.maxTurnsPerTask()) {
			fail(session, task, "turn_limit",
					"The task took more than " + this.properties.maxTurnsPerTask() + " model turns");
			return Mono.empty();
		}
		int turn = ++task.turns;
		ToolCallParser parser = new ToolCallParser(this.registry, this.properties.maxTurnChars());
		List<ChatMessage> messages = session.conversation().messages(session.systemPrompt());
		return session.providers()
			.stream(messages)
			.concatMapIterable(parser::feed)
			.concatWith(Flux.defer(() -> Flux.fromIterable(parser.finish())))
			.takeUntil((event) -> !(event instanceof ParseEvent.Text))
			.doOnNext((event) -> {
				if (event instanceof ParseEvent.Text text) {
					session.sendFor(task, Wire.message("assistant.delta", "taskId", task.id, "turn", turn, "text",
							text.text()));
				}
			})
			.filter((event) -> !(event instanceof ParseEvent.Text))
			.next()
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((outcome) -> afterTurn(session, task, parser.transcript(), outcome.orElse(null)));
	}

	private Mono<Void> afterTurn(AgentSession session, Task task, String transcript, @Nullable ParseEvent outcome) {
		if (task.finished) {
			return Mono.empty();
		}
		if (!transcript.isEmpty()) {
			session.conversation().add(ChatMessage.assistant(transcript));
		}
		if (outcome == null) {
			complete(session, task, transcript.strip(), null);
			return Mono.empty();
		}
		if (outcome instanceof ParseEvent.Malformed malformed) {
			return invalid(session, task, malformed.tool(), malformed.message());
		}
		ParseEvent.Call call = (ParseEvent.Call) outcome;
		ToolValidator.Result result = this.validator.validate(call.call(), session.offeredNames());
		if (result instanceof ToolValidator.Invalid invalid) {
			return invalid(session, task, invalid.tool(), invalid.message());
		}
		ToolValidator.Valid valid = (ToolValidator.Valid) result;
		task.invalidInRow = 0;
		String tool = valid.tool().name();
		this.events.publish(HubEvent.agentToolCall(session.room(), session.id(), task.id, tool, valid.tool().risk()));
		ObjectNode args = valid.args();
		return switch (tool) {
			case "attempt_completion" -> {
				complete(session, task, args.path("result").asString(""), args.path("command").asString(null));
				yield Mono.empty();
			}
			case "update_todo_list" -> {
				session.sendFor(task, Wire.message("todo.update", "taskId", task.id, "items",
						todos(args.path("todos").asString(""))));
				session.conversation().add(ChatMessage.user("[update_todo_list] Result: the todo list was updated."));
				yield turn(session, task);
			}
			case "ask_followup_question" -> {
				List<String> suggestions = new ArrayList<>();
				args.path("follow_up").path("suggest").values().forEach((s) -> suggestions.add(s.asString()));
				String id = session.nextRequestId("q");
				yield session.ask(task, "question", Wire.message("followup.question", "taskId", task.id, "id", id,
						"question", args.path("question").asString(""), "suggestions", suggestions))
					.flatMap((answer) -> {
						session.conversation().add(ChatMessage.user("[ask_followup_question] The user answered:\n"
								+ "<answer>\n" + cut(answer.path("text").asString("")) + "\n</answer>"));
						return turn(session, task);
					});
			}
			default -> {
				String id = session.nextRequestId("t");
				yield session.ask(task, "tool", Wire.message("tool.request", "taskId", task.id, "id", id, "tool", tool,
						"version", valid.tool().version(), "params", valid.params(), "risk", valid.tool().risk()))
					.flatMap((answer) -> {
						session.conversation().add(ChatMessage.user(toolResult(tool, answer)));
						return turn(session, task);
					});
			}
		};
	}

	private Mono<Void> invalid(AgentSession session, Task task, String tool, String message) {
		task.invalidInRow++;
		if (task.invalidInRow > this.properties.maxInvalidCalls()) {
			fail(session, task, "invalid_tool_calls", "The model made " + task.invalidInRow
					+ " invalid tool calls in a row; last error: " + message);
			return Mono.empty();
		}
		StringBuilder feedback = new StringBuilder("[ERROR] ");
		feedback.append(tool.isEmpty() ? "Your message could not be used" : "Your " + tool + " call was invalid")
			.append(": ")
			.append(message)
			.append("\nCorrect it and try again with ONE valid tool call.");
		var definition = tool.isEmpty() ? null : this.registry.find(tool);
		if (definition != null) {
			feedback.append(" The format is:\n").append(definition.example());
		}
		session.conversation().add(ChatMessage.user(feedback.toString()));
		return turn(session, task);
	}

	private void complete(AgentSession session, Task task, String result, @Nullable String command) {
		if (session.finish(task, Wire.message("task.completed", "taskId", task.id, "result", result, "command",
				command))) {
			this.events.publish(HubEvent.agentCompleted(session.room(), session.id(), task.id, task.turns));
		}
	}

	void fail(AgentSession session, Task task, String code, String message) {
		if (session.finish(task, Wire.message("task.failed", "taskId", task.id, "code", code, "message", message))) {
			this.events.publish(HubEvent.agentError(session.room(), session.id(), task.id, code, message));
		}
	}

	private String toolResult(String tool, JsonNode answer) {
		String status = answer.path("status").asString("ok");
		String output = cut(answer.path("output").asString(""));
		return switch (status) {
			case "denied" -> {
				String feedback = answer.path("feedback").asString("");
				yield "[" + tool + "] The user denied this operation."
						+ (feedback.isBlank() ? "" : "\nThe user said:\n<feedback>\n" + cut(feedback) + "\n</feedback>");
			}
			case "error" -> "[" + tool + "] Error:\n" + output;
			default -> "[" + tool + "] Result:\n" + (output.isEmpty() ? "(no output)" : output);
		};
	}

	private String cut(String text) {
		int max = this.properties.maxToolOutput();
		if (text.length() <= max) {
			return text;
		}
		return text.substring(0, max) + "\n[… " + (text.length() - max) + " more characters cut]";
	}

	static List<Map<String, Object>> todos(String list) {
		List<Map<String, Object>> items = new ArrayList<>();
		for (String line : list.split("\\R")) {
			if (items.size() >= MAX_TODOS) {
				break;
			}
			Matcher matcher = TODO.matcher(line);
			if (matcher.matches()) {
				String mark = matcher.group(1);
				String status = switch (mark) {
					case "x", "X" -> "completed";
					case "-", "~" -> "in_progress";
					default -> "pending";
				};
				items.add(Wire.message("item", "text", matcher.group(2).strip(), "status", status));
			}
			else if (!line.isBlank()) {
				items.add(Wire.message("item", "text", line.strip(), "status", "pending"));
			}
		}
		items.forEach((item) -> item.remove("type"));
		return items;
	}

}
