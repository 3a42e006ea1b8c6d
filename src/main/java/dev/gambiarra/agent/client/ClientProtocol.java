package dev.gambiarra.agent.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.gambiarra.agent.client.approval.AgentConsole;
import dev.gambiarra.agent.client.tools.ToolBox;
import dev.gambiarra.agent.client.tools.ToolResult;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client's side of the agent protocol ({@code docs/agent-protocol.md}), without the transport: each message from
 * the hub goes in, the messages to send come out. Tool requests run here, through the tool box (checks, approval,
 * execution); follow-up questions and the next task are read from the console. Blocking by design: the transport
 * calls it off the event loop.
 */
final class ClientProtocol {

	/** How a run ended. */
	enum Outcome {

		/** Still running. */
		RUNNING,
		/** The last task completed. */
		COMPLETED,
		/** A task failed or was cancelled, or the hub reported a fatal error. */
		FAILED

	}

	private final JsonMapper json;

	private final ToolBox tools;

	private final AgentConsole console;

	private final ObjectNode start;

	private final @Nullable String firstTask;

	private final boolean interactive;

	private final boolean readOnly;

	private Outcome outcome = Outcome.RUNNING;

	private boolean sentEnd;

	private @Nullable String sessionId;

	private @Nullable String resumeToken;

	private long lastSeq;

	private int toolCalls;

	/** The last answer to a hub request, kept until the hub moves on, to send again after a reconnect. */
	private @Nullable String pendingReply;

	private boolean resent;

	/**
	 * @param json mapper for the wire
	 * @param tools runs tool requests
	 * @param console the user
	 * @param start the {@code session.start} message to send first
	 * @param firstTask the task to send once the session started (null: ask the user)
	 * @param interactive whether to ask for another task after one ends
	 */
	ClientProtocol(JsonMapper json, ToolBox tools, AgentConsole console, ObjectNode start, @Nullable String firstTask,
			boolean interactive) {
		this.json = json;
		this.tools = tools;
		this.console = console;
		this.start = start;
		this.firstTask = firstTask;
		this.interactive = interactive;
		this.readOnly = "ask".equals(start.path("mode").asString("code"));
	}

	/** The opening message. */
	String opening() {
		return this.start.toString();
	}

	/** The {@code session.resume} message for a reconnect, or null when no session was started. */
	@Nullable String resume() {
		if (this.sessionId == null || this.resumeToken == null) {
			return null;
		}
		ObjectNode msg = message("session.resume");
		msg.put("sessionId", this.sessionId);
		msg.put("resumeToken", this.resumeToken);
		msg.put("lastSeq", this.lastSeq);
		return msg.toString();
	}

	Outcome outcome() {
		return this.outcome;
	}

	boolean finished() {
		return this.outcome != Outcome.RUNNING;
	}

	int toolCalls() {
		return this.toolCalls;
	}

	/**
	 * Handles one frame from the hub.
	 * @param frame the JSON text
	 * @return the frames to send, in order
	 */
	List<String> handle(String frame) {
		JsonNode msg;
		try {
			msg = this.json.readTree(frame);
		}
		catch (RuntimeException ex) {
			this.console.println("[client] ignored a frame that is not JSON");
			return List.of();
		}
		long seq = msg.path("seq").asLong(0);
		if (seq > this.lastSeq) {
			this.lastSeq = seq;
		}
		List<String> out = new ArrayList<>();
		String type = msg.path("type").asString("");
		if (!type.equals("session.resumed") && !type.equals("error") && !type.equals("pong")) {
			// the hub went on, so it has the last answer
			this.pendingReply = null;
			this.resent = false;
		}
		switch (type) {
			case "session.started" -> {
				this.sessionId = msg.path("sessionId").asString(null);
				this.resumeToken = msg.path("resumeToken").asString(null);
				this.console.println("Connected: session " + shortId(this.sessionId) + ", mode "
						+ msg.path("mode").asString("code") + ", workspace " + this.tools.workspaceRoot());
				nextTask(this.firstTask, out);
			}
			case "session.resumed" -> {
				this.console.println("[client] session resumed (" + msg.path("replayed").asInt(0)
						+ " messages replayed" + (msg.path("gap").asBoolean(false) ? ", some were lost" : "") + ")");
				if (this.pendingReply != null) {
					// the answer may have been lost with the old connection; a duplicate is refused harmlessly
					out.add(this.pendingReply);
					this.resent = true;
				}
			}
			case "task.started" -> this.console.println("");
			case "assistant.delta" -> this.console.print(msg.path("text").asString(""));
			case "tool.request" -> out.add(remember(runTool(msg)));
			case "followup.question" -> out.add(remember(answer(msg)));
			case "todo.update" -> printTodos(msg.path("items"));
			case "task.completed" -> {
				this.console.println("");
				this.console.println("✔ Task completed");
				this.console.println(msg.path("result").asString(""));
				String command = msg.path("command").isString() ? msg.path("command").asString() : null;
				if (command != null && !command.isBlank()) {
					this.console.println("Suggested command (not run): " + command);
				}
				taskEnded(Outcome.COMPLETED, out);
			}
			case "task.failed" -> {
				this.console.println("");
				this.console.println("✘ Task failed (" + msg.path("code").asString("") + "): "
						+ msg.path("message").asString(""));
				taskEnded(Outcome.FAILED, out);
			}
			case "task.cancelled" -> {
				this.console.println("✘ Task cancelled");
				taskEnded(Outcome.FAILED, out);
			}
			case "error" -> {
				if (this.resent && "unknown_request".equals(msg.path("code").asString(""))) {
					// the hub had the answer we sent again after reconnecting
					this.resent = false;
					return out;
				}
				this.console.println("[hub error " + msg.path("code").asString("") + "] "
						+ msg.path("message").asString(""));
				if (msg.path("fatal").asBoolean(false)) {
					this.outcome = Outcome.FAILED;
				}
			}
			case "pong" -> {
			}
			default -> this.console.println("[client] ignored message of type '" + type + "'");
		}
		return out;
	}

	private String remember(String reply) {
		this.pendingReply = reply;
		return reply;
	}

	private String runTool(JsonNode msg) {
		String id = msg.path("id").asString("");
		String tool = msg.path("tool").asString("");
		String version = msg.path("version").isString() ? msg.path("version").asString() : null;
		this.toolCalls++;
		ToolResult result = (this.readOnly && !ToolBox.READ_ONLY.contains(tool))
				? ToolResult.error("The session is in ask (read-only) mode: " + tool + " is not available")
				: this.tools.execute(tool, version, msg.path("params"));
		this.console.println(mark(result) + " " + tool + ": " + firstLine(result.output()));
		if (tool.equals("execute_command")) {
			printOutput(result.output());
		}
		ObjectNode reply = message("tool.result");
		reply.put("id", id);
		reply.put("status", result.status().wire());
		reply.put("output", result.output());
		if (!result.feedback().isBlank()) {
			reply.put("feedback", result.feedback());
		}
		return reply.toString();
	}

	private String answer(JsonNode msg) {
		this.console.println("");
		this.console.println("? " + msg.path("question").asString(""));
		List<String> suggestions = new ArrayList<>();
		for (JsonNode s : msg.path("suggestions").values()) {
			suggestions.add(s.asString(""));
		}
		for (int i = 0; i < suggestions.size(); i++) {
			this.console.println("  " + (i + 1) + ") " + suggestions.get(i));
		}
		String line = this.console.ask(suggestions.isEmpty() ? "answer> " : "answer (number or text)> ");
		String text = (line == null) ? "" : line.strip();
		if (text.matches("\\d+")) {
			int pick = Integer.parseInt(text);
			if (pick >= 1 && pick <= suggestions.size()) {
				text = suggestions.get(pick - 1);
			}
		}
		if (text.isEmpty()) {
			text = "(the user gave no answer)";
		}
		ObjectNode reply = message("followup.answer");
		reply.put("id", msg.path("id").asString(""));
		reply.put("text", text);
		return reply.toString();
	}

	private void printTodos(JsonNode items) {
		this.console.println("");
		this.console.println("Todo:");
		for (JsonNode item : items.values()) {
			String status = item.path("status").asString("pending").toLowerCase(Locale.ROOT);
			String box = switch (status) {
				case "completed" -> "[x]";
				case "in_progress" -> "[-]";
				default -> "[ ]";
			};
			this.console.println("  " + box + " " + item.path("text").asString(""));
		}
	}

	private void taskEnded(Outcome result, List<String> out) {
		if (this.interactive) {
			nextTask(null, out);
			if (!this.sentEnd) {
				return;
			}
		}
		this.outcome = result;
		if (!this.sentEnd) {
			out.add(message("session.end").toString());
			this.sentEnd = true;
		}
	}

	/** Sends the given task, or asks the user for one; an empty answer or {@code exit} ends the session. */
	private void nextTask(@Nullable String task, List<String> out) {
		String text = task;
		if (text == null) {
			String line = this.console.ask("\ntask> ");
			text = (line == null) ? "" : line.strip();
		}
		if (text.isEmpty() || text.equals("exit") || text.equals("quit")) {
			out.add(message("session.end").toString());
			this.sentEnd = true;
			if (this.outcome == Outcome.RUNNING) {
				this.outcome = Outcome.COMPLETED;
			}
			return;
		}
		ObjectNode msg = message("user.message");
		msg.put("text", text);
		out.add(msg.toString());
	}

	private ObjectNode message(String type) {
		ObjectNode msg = this.json.createObjectNode();
		msg.put("type", type);
		return msg;
	}

	private static String mark(ToolResult result) {
		return switch (result.status()) {
			case OK -> "  ✓";
			case ERROR -> "  ✗";
			case DENIED -> "  ⊘";
		};
	}

	/** Shows a command's output (after its status line), at most 20 lines. */
	private void printOutput(String output) {
		List<String> lines = output.lines().skip(1).toList();
		int shown = Math.min(lines.size(), 20);
		for (int i = 0; i < shown; i++) {
			this.console.println("    │ " + lines.get(i));
		}
		if (lines.size() > shown) {
			this.console.println("    │ … " + (lines.size() - shown) + " more lines (sent to the model)");
		}
	}

	private static String firstLine(String text) {
		String line = text.lines().findFirst().orElse("");
		return line.length() > 160 ? line.substring(0, 160) + " …" : line;
	}

	private static String shortId(@Nullable String id) {
		return (id == null) ? "?" : (id.length() > 8 ? id.substring(0, 8) : id);
	}

	/** Builds the {@code session.start} message. */
	static ObjectNode sessionStart(JsonMapper json, String mode, JsonNode provider, List<JsonNode> fallbacks,
			String workspaceName, String client) {
		ObjectNode msg = json.createObjectNode();
		msg.put("type", "session.start");
		msg.put("mode", mode);
		msg.set("provider", provider);
		if (!fallbacks.isEmpty()) {
			ArrayNode list = msg.putArray("fallbacks");
			fallbacks.forEach(list::add);
		}
		ObjectNode workspace = msg.putObject("workspace");
		workspace.put("name", workspaceName);
		workspace.put("os", System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT));
		workspace.put("shell", "/bin/sh");
		msg.put("client", client);
		return msg;
	}

}
