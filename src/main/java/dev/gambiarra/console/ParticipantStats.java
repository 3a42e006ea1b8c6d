package dev.gambiarra.console;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Live per-participant figures the console shows when some feature provides them (the proxy's in-flight counts
 * and measured throughput). Without a bean of this type the console shows {@code -}.
 */
public interface ParticipantStats {

	/** Requests this participant is serving right now. */
	OptionalInt inFlight(String roomCode, String participantId);

	/** Recent generation speed, in tokens per second. */
	OptionalDouble tokensPerSecond(String roomCode, String participantId);

}
