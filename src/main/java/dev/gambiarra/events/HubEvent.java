package dev.gambiarra.events;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One event on the bus: its SSE name, its JSON data, and the room it belongs to ({@code null} for hub-wide events
 * such as {@code room:created}, which only the hub stream carries). Factories name every event type in one place.
 */
public record HubEvent(@Nullable String room, String type, Object data) {

	public static HubEvent roomCreated(Object room) {
		return new HubEvent(null, "room:created", room);
	}

	public static HubEvent roomClosed(String room, String reason) {
		return new HubEvent(room, "room:closed", fields("code", room, "reason", reason));
	}

	public static HubEvent participantJoined(String room, Object participant) {
		return new HubEvent(room, "participant:joined", participant);
	}

	public static HubEvent participantLeft(String room, String participantId) {
		return new HubEvent(room, "participant:left", fields("participantId", participantId));
	}

	public static HubEvent participantKicked(String room, String participantId) {
		return new HubEvent(room, "participant:kicked", fields("participantId", participantId));
	}

	public static HubEvent participantOffline(String room, String participantId) {
		return new HubEvent(room, "participant:offline", fields("participantId", participantId));
	}

	public static HubEvent participantOnline(String room, String participantId) {
		return new HubEvent(room, "participant:online", fields("participantId", participantId));
	}

	public static HubEvent participantBusy(String room, String participantId) {
		return new HubEvent(room, "participant:busy", fields("participantId", participantId));
	}

	public static HubEvent llmRequest(String room, String participantId, String model, String requestId) {
		return new HubEvent(room, "llm:request",
				fields("participantId", participantId, "model", model, "requestId", requestId));
	}

	public static HubEvent llmError(String room, String participantId, String error, String requestId) {
		return new HubEvent(room, "llm:error",
				fields("participantId", participantId, "error", error, "requestId", requestId));
	}

	public static HubEvent agentSessionStarted(@Nullable String room, String sessionId, String mode,
			String provider) {
		return new HubEvent(room, "agent:session-started",
				fields("sessionId", sessionId, "mode", mode, "provider", provider));
	}

	public static HubEvent agentToolCall(@Nullable String room, String sessionId, String taskId, String tool,
			String risk) {
		return new HubEvent(room, "agent:tool-call",
				fields("sessionId", sessionId, "taskId", taskId, "tool", tool, "risk", risk));
	}

	public static HubEvent agentCompleted(@Nullable String room, String sessionId, String taskId, int turns) {
		return new HubEvent(room, "agent:completed", fields("sessionId", sessionId, "taskId", taskId, "turns", turns));
	}

	public static HubEvent agentError(@Nullable String room, String sessionId, @Nullable String taskId, String code,
			String message) {
		return new HubEvent(room, "agent:error",
				fields("sessionId", sessionId, "taskId", taskId, "code", code, "message", message));
	}

	/** An insertion-ordered map of alternating keys and values, so JSON fields keep a readable order. */
	public static Map<String, Object> fields(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

}
