package dev.gambiarra.agent;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The coding agent's WebSocket endpoint and sessions. Provider settings are in {@code gambiarra.agent.provider.*}.
 *
 * @param enabled whether {@code /agent} is served at all
 * @param path the WebSocket path
 * @param token when set, clients must present it ({@code Authorization: Bearer} or {@code ?token=})
 * @param idleTimeout a session with no client message for this long is closed and forgotten (resume only before)
 * @param sweepInterval how often idle sessions are looked for
 * @param startTimeout a connection must start or resume a session within this time
 * @param maxSessions sessions held at once, across all clients
 * @param maxTurnsPerTask model turns one task may take before it fails with {@code turn_limit}
 * @param maxInvalidCalls invalid tool calls in a row before the task fails with {@code invalid_tool_calls}
 * @param contextTokens the conversation sent to the model is kept under this many tokens (estimated as
 * characters / 4); the oldest messages are dropped first
 * @param maxToolOutput characters of one tool result kept for the model; the rest is cut
 * @param maxTurnChars characters of one model answer (prose plus tool call) the parser accepts
 * @param maxFrameSize largest WebSocket frame accepted from a client
 * @param replayBuffer server messages kept per session for replay after a reconnect
 * @param replayBufferSize most characters those messages may hold together (the oldest go first)
 * @param outboundBuffer messages queued for a slow client before its connection is dropped (it may resume)
 * @param pluginDir folder of extra tool definitions ({@code *.json}); unset means built-in tools only
 */
@Validated
@ConfigurationProperties("gambiarra.agent")
public record AgentProperties(@DefaultValue("true") boolean enabled, @DefaultValue("/agent") String path,
		@Nullable String token, @DefaultValue("10m") Duration idleTimeout, @DefaultValue("30s") Duration sweepInterval,
		@DefaultValue("30s") Duration startTimeout, @DefaultValue("100") @Min(1) int maxSessions,
		@DefaultValue("25") @Min(1) int maxTurnsPerTask, @DefaultValue("3") @Min(1) int maxInvalidCalls,
		@DefaultValue("16000") @Min(1000) int contextTokens, @DefaultValue("20000") @Min(100) int maxToolOutput,
		@DefaultValue("200000") @Min(1000) int maxTurnChars, @DefaultValue("1MB") DataSize maxFrameSize,
		@DefaultValue("256") @Min(1) int replayBuffer, @DefaultValue("4MB") DataSize replayBufferSize,
		@DefaultValue("512") @Min(16) int outboundBuffer,
		@Nullable Path pluginDir) {

}
