package dev.gambiarra.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.web.reactive.socket.CloseStatus;

import dev.gambiarra.agent.provider.ProviderChain;
import dev.gambiarra.agent.tools.ToolDefinition;

/**
 * One agent session: its conversation, its providers, the running task and the messages sent to the client.
 * Every server message gets the next {@code seq} and goes into a bounded replay buffer, so a client that reconnects
 * can resume without losing any. All state changes happen under the session's lock; nothing under it blocks.
 */
final class AgentSession {

	private final String id;

	private final String resumeToken;

	private final String mode;

	private final List<ToolDefinition> offered;

	private final List<String> offeredNames;

	private final ProviderChain providers;

	private final Conversation conversation;

	private final String systemPrompt;

	private final JsonMapper json;

	private final int replayLimit;

	private final long replayLimitChars;

	private long replayChars;

	private final ArrayDeque<Sent> replay = new ArrayDeque<>();

	private long seq;

	private @Nullable Connection connection;

	private @Nullable Task task;

	private int tasks;

	private int requests;

	private final Clock clock;

	private volatile long lastActivity;

	private boolean ended;

	AgentSession(String id, String resumeToken, String mode, List<ToolDefinition> offered, ProviderChain providers,
			Conversation conversation, String systemPrompt, JsonMapper json, int replayLimit, long replayLimitChars,
			Clock clock) {
		this.clock = clock;
		this.lastActivity = clock.millis();
		this.id = id;
		this.resumeToken = resumeToken;
		this.mode = mode;
		this.offered = List.copyOf(offered);
		this.offeredNames = offered.stream().map(ToolDefinition::name).toList();
		this.providers = providers;
		this.conversation = conversation;
		this.systemPrompt = systemPrompt;
		this.json = json;
		this.replayLimit = replayLimit;
		this.replayLimitChars = replayLimitChars;
	}

	record Sent(long seq, String json) {
	}

	/** A task: one user message and the model turns it takes. */
	static final class Task {

		final String id;

		final Disposable.Swap run = Disposables.swap();

		int turns;

		int invalidInRow;

		@Nullable Pending pending;

		boolean finished;

		Task(String id) {
			this.id = id;
		}

	}

	/** A question to the client (tool request or follow-up) that the model waits for. */
	record Pending(String id, String kind, String message, Sinks.One<JsonNode> answer) {
	}

	/** What a resume brings: the messages to replay and whether some were lost. */
	record Resumed(List<String> replay, boolean gap, long lastSeq, @Nullable Connection previous) {
	}

	String id() {
		return this.id;
	}

	String resumeToken() {
		return this.resumeToken;
	}

	String mode() {
		return this.mode;
	}

	List<ToolDefinition> offered() {
		return this.offered;
	}

	List<String> offeredNames() {
		return this.offeredNames;
	}

	ProviderChain providers() {
		return this.providers;
	}

	@Nullable String room() {
		return this.providers.primary().room();
	}

	Conversation conversation() {
		return this.conversation;
	}

	String systemPrompt() {
		return this.systemPrompt;
	}

	void touch() {
		this.lastActivity = this.clock.millis();
	}

	/** Time since the client's last message, on the hub's clock. */
	Duration idle() {
		return Duration.ofMillis(this.clock.millis() - this.lastActivity);
	}

	/** Sends a sequenced message (buffered for replay, delivered when a connection is attached). */
	synchronized void send(Map<String, Object> message) {
		if (this.ended) {
			return;
		}
		Map<String, Object> sequenced = new LinkedHashMap<>();
		sequenced.put("type", message.get("type"));
		sequenced.put("seq", ++this.seq);
		message.forEach(sequenced::putIfAbsent);
		String text = this.json.writeValueAsString(sequenced);
		this.replay.addLast(new Sent(this.seq, text));
		this.replayChars += text.length();
		while (this.replay.size() > 1
				&& (this.replay.size() > this.replayLimit || this.replayChars > this.replayLimitChars)) {
			this.replayChars -= this.replay.removeFirst().json().length();
		}
		Connection current = this.connection;
		if (current != null) {
			current.send(text);
		}
	}

	/** Sends {@code message} for {@code task} only while that task is still the running one. */
	synchronized boolean sendFor(Task task, Map<String, Object> message) {
		if (task.finished || this.task != task) {
			return false;
		}
		send(message);
		return true;
	}

	synchronized void attach(Connection connection) {
		this.connection = connection;
		touch();
	}

	/** Moves the session to {@code connection}, replaying what the client missed after {@code lastSeq}. */
	synchronized Resumed resume(Connection connection, long lastSeq) {
		Connection previous = (this.connection != connection) ? this.connection : null;
		this.connection = connection;
		touch();
		List<String> missed = new ArrayList<>();
		long firstKept = this.replay.isEmpty() ? this.seq + 1 : this.replay.peekFirst().seq();
		boolean gap = lastSeq + 1 < firstKept && lastSeq < this.seq;
		for (Sent sent : this.replay) {
			if (sent.seq() > lastSeq) {
				missed.add(sent.json());
			}
		}
		Task running = this.task;
		if (gap && running != null && running.pending != null && !missed.contains(running.pending.message())) {
			missed.add(running.pending.message());
		}
		return new Resumed(missed, gap, this.seq, previous);
	}

	synchronized void detach(Connection connection) {
		if (this.connection == connection) {
			this.connection = null;
			touch();
		}
	}

	synchronized @Nullable Task task() {
		return this.task;
	}

	/** Starts a task unless one is running; {@code null} when busy or ended. */
	synchronized @Nullable Task startTask() {
		if (this.task != null || this.ended) {
			return null;
		}
		Task started = new Task("k" + (++this.tasks));
		this.task = started;
		return started;
	}

	/** Ends {@code task} with its terminal message, unless it already ended (cancelled). */
	synchronized boolean finish(Task task, Map<String, Object> terminal) {
		if (task.finished || this.task != task) {
			return false;
		}
		task.finished = true;
		task.pending = null;
		this.task = null;
		send(terminal);
		return true;
	}

	/** Registers a question for the client and sends it; the returned Mono gets the answer. */
	synchronized Mono<JsonNode> ask(Task task, String kind, Map<String, Object> message) {
		if (task.finished || this.task != task) {
			return Mono.never();
		}
		String requestId = message.get("id").toString();
		Sinks.One<JsonNode> answer = Sinks.one();
		send(message);
		String sent = this.replay.peekLast().json();
		task.pending = new Pending(requestId, kind, sent, answer);
		return answer.asMono();
	}

	/** The next request id of this session, such as {@code t-3} for tools or {@code q-4} for questions. */
	synchronized String nextRequestId(String prefix) {
		return prefix + "-" + (++this.requests);
	}

	/** Delivers a client's answer to the pending request {@code requestId} of kind {@code kind}. */
	synchronized boolean answer(String requestId, String kind, JsonNode answer) {
		Task running = this.task;
		if (running == null || running.pending == null || !running.pending.id().equals(requestId)
				|| !running.pending.kind().equals(kind)) {
			return false;
		}
		Pending pending = running.pending;
		running.pending = null;
		pending.answer().tryEmitValue(answer);
		return true;
	}

	/** Cancels the running task, if any, and says so; the model stream and any wait are disposed. */
	boolean cancel() {
		Task running;
		synchronized (this) {
			running = this.task;
			if (running == null) {
				return false;
			}
			running.finished = true;
			running.pending = null;
			this.task = null;
			send(Wire.message("task.cancelled", "taskId", running.id));
		}
		running.run.dispose();
		return true;
	}

	/** Ends the session for good: the task stops, the connection closes with {@code status}. */
	void end(CloseStatus status, @Nullable Map<String, Object> lastWords) {
		Task running;
		Connection current;
		synchronized (this) {
			if (this.ended) {
				return;
			}
			running = this.task;
			if (running != null) {
				running.finished = true;
				running.pending = null;
			}
			this.task = null;
			if (lastWords != null) {
				send(lastWords);
			}
			this.ended = true;
			current = this.connection;
			this.connection = null;
		}
		if (running != null) {
			running.run.dispose();
		}
		if (current != null) {
			current.close(status);
		}
	}

	synchronized boolean isEnded() {
		return this.ended;
	}

	synchronized boolean isAttached() {
		return this.connection != null;
	}

	synchronized long lastSeq() {
		return this.seq;
	}

}
