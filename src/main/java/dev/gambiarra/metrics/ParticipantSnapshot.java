package dev.gambiarra.metrics;

import org.jspecify.annotations.Nullable;

/**
 * One participant's figures since it joined (or since its model last changed).
 *
 * @param inFlight requests being answered right now
 * @param completed requests answered successfully
 * @param errors requests that failed: upstream error status, unreachable, timed out or dropped midway
 * @param cancelled requests the client abandoned
 * @param tokens tokens generated in successful answers
 * @param avgLatencyFirstTokenMs mean time to the first generated token, {@code null} before any success
 * @param avgTokensPerSecond mean generation speed, {@code null} before any success with tokens
 */
public record ParticipantSnapshot(String participantId, @Nullable String nickname, String model,
		@Nullable String status, int inFlight, long completed, long errors, long cancelled, long tokens,
		@Nullable Long avgLatencyFirstTokenMs, @Nullable Double avgTokensPerSecond) {

}
