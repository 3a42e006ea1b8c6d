package dev.gambiarra.console;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What a participant is doing right now, as the console's IN-FLIGHT and TOK/S columns show it. The hub's
 * implementation is {@link LiveParticipantActivity}; without a bean of this type the console shows {@code -}.
 */
interface ParticipantActivity {

	/** Requests this participant is serving right now. */
	OptionalInt inFlight(String roomCode, String participantId);

	/** Recent generation speed, in tokens per second. */
	OptionalDouble tokensPerSecond(String roomCode, String participantId);

}
