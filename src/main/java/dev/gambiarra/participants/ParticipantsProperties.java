package dev.gambiarra.participants;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Participant registration.
 *
 * @param maxConcurrent requests one participant serves at once when it does not say ({@code maxConcurrent} at join).
 * The original's clients never say, so this is the cap of most participants: high enough that the hub never queues
 * what the participant's server would run or queue itself (vLLM runs 256 sequences at once by default, Ollama queues
 * 512), low enough to keep one participant from being sent an unbounded number of requests
 * @param maxConcurrentLimit the most a participant may ask for
 */
@Validated
@ConfigurationProperties("gambiarra.participants")
record ParticipantsProperties(@DefaultValue("256") @Min(1) int maxConcurrent,
		@DefaultValue("10000") @Min(1) @Max(1_000_000) int maxConcurrentLimit) {

}
