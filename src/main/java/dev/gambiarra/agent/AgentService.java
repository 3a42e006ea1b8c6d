package dev.gambiarra.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.CloseStatus;

import dev.gambiarra.agent.provider.ChatMessage;
import dev.gambiarra.agent.provider.ProviderException;
import dev.gambiarra.agent.provider.ProviderFactory;
import dev.gambiarra.agent.provider.ProviderSpec;
import dev.gambiarra.agent.tools.ToolDefinition;
import dev.gambiarra.agent.tools.ToolRegistry;
import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.web.Ids;

/**
 * Handles each client message of {@code docs/agent-protocol.md}: validates it, applies it to the connection's
 * session and answers. Protocol errors go back as {@code error} messages; the hub keeps serving everyone else.
 */
class AgentService {

	private static final Logger logger = LoggerFactory.getLogger(AgentService.class);

	private static final List<String> WORKSPACE_KEYS = List.of("name", "os", "shell", "cwd");

	private static final int MAX_FALLBACKS = 4;

	private final SessionManager sessions;

	private final ProviderFactory providers;

	private final ToolRegistry registry;

	private final AgentLoop loop;

	private final AgentProperties properties;

	private final EventBus events;

	private final JsonMapper json;

	private final Clock clock;

	AgentService(SessionManager sessions, ProviderFactory providers, ToolRegistry registry, AgentLoop loop,
			AgentProperties properties, EventBus events, JsonMapper json, Clock clock) {
		this.clock = clock;
		this.sessions = sessions;
		this.providers = providers;
		this.registry = registry;
		this.loop = loop;
		this.properties = properties;
		this.events = events;
		this.json = json;
	}

	/** Handles one text frame. Completes when the message is applied (a session start may take a moment). */
	Mono<Void> handle(Connection connection, String text) {
		JsonNode message;
		try {
			message = this.json.readTree(text);
		}
		catch (JacksonException ex) {
			return error(connection, "invalid_json", "The message is not valid JSON");
		}
		if (!message.isObject() || !message.path("type").isString()) {
			return error(connection, "invalid_message", "A message must be a JSON object with a string \"type\"");
		}
		String type = message.path("type").asString();
		AgentSession session = connection.session();
		if (session != null) {
			session.touch();
		}
		return switch (type) {
			case "session.start" -> start(connection, message);
			case "session.resume" -> resume(connection, message);
			case "ping" -> reply(connection, Wire.message("pong"));
			case "user.message", "tool.result", "followup.answer", "cancel", "session.end" -> {
				if (session == null || session.isEnded()) {
					yield error(connection, "no_session", "Start or resume a session first");
				}
				yield inSession(connection, session, type, message);
			}
			default -> error(connection, "unknown_type", "Unknown message type: " + shorten(type));
		};
	}

	private Mono<Void> inSession(Connection connection, AgentSession session, String type, JsonNode message) {
		switch (type) {
			case "user.message" -> {
				String text = message.path("text").asString("");
				if (!message.path("text").isString() || text.isBlank()) {
					return error(connection, "invalid_message", "user.message needs a non-empty \"text\"");
				}
				AgentSession.Task task = session.startTask();
				if (task == null) {
					return error(connection, "task_running", "A task is running: wait for it to end or cancel it");
				}
				session.conversation().add(ChatMessage.user(text));
				session.send(Wire.message("task.started", "taskId", task.id));
				task.run.update(this.loop.run(session, task).subscribe());
				return Mono.empty();
			}
			case "tool.result" -> {
				String status = message.path("status").asString("");
				if (!message.path("id").isString() || !List.of("ok", "error", "denied").contains(status)) {
					return error(connection, "invalid_message",
							"tool.result needs \"id\" and \"status\" (ok, error or denied)");
				}
				if (message.has("output") && !message.get("output").isString()) {
					return error(connection, "invalid_message", "tool.result \"output\" must be a string");
				}
				return answered(connection, session.answer(message.get("id").asString(), "tool", message));
			}
			case "followup.answer" -> {
				if (!message.path("id").isString() || !message.path("text").isString()) {
					return error(connection, "invalid_message", "followup.answer needs \"id\" and \"text\"");
				}
				return answered(connection, session.answer(message.get("id").asString(), "question", message));
			}
			case "cancel" -> {
				session.cancel();
				return Mono.empty();
			}
			default -> {
				this.sessions.remove(session, CloseStatus.NORMAL, null);
				return Mono.empty();
			}
		}
	}

	private Mono<Void> answered(Connection connection, boolean accepted) {
		return accepted ? Mono.empty()
				: error(connection, "unknown_request", "No pending request with this id (answered, cancelled or unknown)");
	}

	private Mono<Void> start(Connection connection, JsonNode message) {
		if (connection.session() != null) {
			return error(connection, "session_exists", "This connection already has a session");
		}
		String mode = message.path("mode").asString("code");
		if (!mode.equals("code") && !mode.equals("ask")) {
			return error(connection, "invalid_message", "mode must be \"code\" or \"ask\"");
		}
		List<ProviderSpec> specs = new ArrayList<>();
		try {
			specs.add(spec(message.get("provider")));
			JsonNode fallbacks = message.path("fallbacks");
			if (!fallbacks.isMissingNode() && !fallbacks.isNull()) {
				if (!fallbacks.isArray() || fallbacks.size() > MAX_FALLBACKS) {
					throw new IllegalArgumentException("fallbacks must be an array of at most " + MAX_FALLBACKS
							+ " providers");
				}
				for (JsonNode fallback : fallbacks.values()) {
					specs.add(spec(fallback));
				}
			}
		}
		catch (IllegalArgumentException ex) {
			return fatal(connection, "invalid_provider", "Invalid provider: " + ex.getMessage());
		}
		Map<String, String> workspace = workspace(message.path("workspace"));
		JsonNode clientTools = message.path("clientTools");
		if (!clientTools.isMissingNode() && !clientTools.isNull() && !clientTools.isObject()) {
			return error(connection, "invalid_message", "clientTools must be an object of tool name to version");
		}
		if (!this.sessions.reserve()) {
			return fatal(connection, "too_many_sessions", "The hub holds the most agent sessions it allows; try later");
		}
		return this.providers.chain(specs, connection.client()).map((chain) -> {
			boolean readOnly = mode.equals("ask");
			List<Map<String, Object>> unsupported = new ArrayList<>();
			List<ToolDefinition> offered = this.registry.offered(readOnly)
				.stream()
				.filter((tool) -> supported(tool, clientTools, unsupported))
				.toList();
			AgentSession session = new AgentSession(Ids.uuid(), Ids.token(32), mode, offered, chain,
					new Conversation(this.properties.contextTokens()), SystemPrompt.render(offered, readOnly, workspace),
					this.json, this.properties.replayBuffer(),
					this.properties.replayBufferSize().toBytes(), this.clock);
			this.sessions.add(session);
			connection.session(session);
			session.attach(connection);
			List<Map<String, Object>> tools = offered.stream()
				.map((tool) -> {
					Map<String, Object> entry = new LinkedHashMap<>();
					entry.put("name", tool.name());
					entry.put("version", tool.version());
					entry.put("risk", tool.risk());
					return entry;
				})
				.toList();
			session.send(Wire.message("session.started", "sessionId", session.id(), "resumeToken",
					session.resumeToken(), "mode", mode, "idleTimeoutSeconds", this.properties.idleTimeout().toSeconds(),
					"tools", tools, "unsupported", unsupported));
			this.events.publish(HubEvent.agentSessionStarted(session.room(), session.id(), mode, chain.describe()));
			logger.info("Agent session {} started ({} mode, {})", session.id(), mode, chain.describe());
			return session;
		}).then().onErrorResume((ex) -> {
			this.sessions.release();
			String text = (ex instanceof ProviderException) ? ex.getMessage() : "Invalid provider";
			if (!(ex instanceof ProviderException)) {
				logger.warn("Agent session start failed", ex);
			}
			return fatal(connection, "invalid_provider", text);
		});
	}

	/**
	 * Version check against the tools the client says it runs ({@code clientTools}: name to {@code MAJOR.MINOR}):
	 * a tool the client runs is offered when the client knows its major version at the same or a later minor.
	 * Hub-handled tools are always offered; without {@code clientTools} everything is.
	 */
	private static boolean supported(ToolDefinition tool, JsonNode clientTools, List<Map<String, Object>> unsupported) {
		if (!clientTools.isObject() || ToolRegistry.HUB_TOOLS.contains(tool.name())) {
			return true;
		}
		JsonNode version = clientTools.get(tool.name());
		String reason = null;
		if (version == null || !version.isString()) {
			reason = "the client does not run it";
		}
		else {
			String[] parts = version.asString().split("\\.");
			try {
				int major = Integer.parseInt(parts[0]);
				int minor = (parts.length > 1) ? Integer.parseInt(parts[1]) : 0;
				if (major != tool.majorVersion() || minor < tool.minorVersion()) {
					reason = "the client runs version " + version.asString();
				}
			}
			catch (NumberFormatException ex) {
				reason = "the client's version \"" + shorten(version.asString()) + "\" is not MAJOR.MINOR";
			}
		}
		if (reason != null) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("name", tool.name());
			entry.put("version", tool.version());
			entry.put("reason", reason);
			unsupported.add(entry);
			return false;
		}
		return true;
	}

	private Mono<Void> resume(Connection connection, JsonNode message) {
		if (connection.session() != null) {
			return error(connection, "session_exists", "This connection already has a session");
		}
		AgentSession session = this.sessions.find(message.path("sessionId").asString(""));
		String token = message.path("resumeToken").asString("");
		if (session == null || session.isEnded() || !MessageDigest.isEqual(
				session.resumeToken().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
			return fatal(connection, "unknown_session", "No such session (unknown, expired or wrong resumeToken)");
		}
		long lastSeq = message.path("lastSeq").asLong(0);
		connection.session(session);
		AgentSession.Resumed resumed = session.resume(connection, lastSeq);
		if (resumed.previous() != null) {
			resumed.previous().close(Connection.TAKEN_OVER);
		}
		connection.send(this.json.writeValueAsString(Wire.message("session.resumed", "sessionId", session.id(),
				"mode", session.mode(), "lastSeq", resumed.lastSeq(), "replayed", resumed.replay().size(), "gap",
				resumed.gap())));
		resumed.replay().forEach(connection::send);
		return Mono.empty();
	}

	/** The connection closed: the session stays for a resume until its idle timeout. */
	void closed(Connection connection) {
		AgentSession session = connection.session();
		if (session != null) {
			session.detach(connection);
		}
	}

	private static ProviderSpec spec(@Nullable JsonNode node) {
		if (node == null || !node.isObject()) {
			throw new IllegalArgumentException("\"provider\" must be an object with a \"kind\"");
		}
		String kind = node.path("kind").asString("");
		if (kind.isEmpty()) {
			throw new IllegalArgumentException("provider \"kind\" is required (room, openai or test)");
		}
		return new ProviderSpec(kind, optional(node, "room"), optional(node, "model"), optional(node, "password"),
				optional(node, "baseUrl"), optional(node, "apiKey"));
	}

	private static @Nullable String optional(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString() || value.asString().length() > 2048) {
			throw new IllegalArgumentException("provider \"" + field + "\" must be a string");
		}
		return value.asString();
	}

	private static Map<String, String> workspace(JsonNode node) {
		Map<String, String> workspace = new LinkedHashMap<>();
		if (node.isObject()) {
			for (String key : WORKSPACE_KEYS) {
				JsonNode value = node.get(key);
				if (value != null && value.isString() && !value.asString().isBlank()) {
					workspace.put(key, shorten(value.asString().replace('\n', ' ')));
				}
			}
		}
		return workspace;
	}

	private Mono<Void> reply(Connection connection, Map<String, Object> message) {
		connection.send(this.json.writeValueAsString(message));
		return Mono.empty();
	}

	private Mono<Void> error(Connection connection, String code, String message) {
		return reply(connection, Wire.message("error", "code", code, "message", message, "fatal", false));
	}

	private Mono<Void> fatal(Connection connection, String code, String message) {
		reply(connection, Wire.message("error", "code", code, "message", message, "fatal", true));
		connection.close(CloseStatus.POLICY_VIOLATION.withReason(code));
		return Mono.empty();
	}

	private static String shorten(String text) {
		return (text.length() > 200) ? text.substring(0, 200) : text;
	}

}
