package dev.gambiarra.participants;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Participant registration.
 *
 * @param maxConcurrent requests one participant serves at once when it does not say ({@code maxConcurrent} at join)
 * @param maxConcurrentLimit the most a participant may ask for
 */
@Validated
@ConfigurationProperties("gambiarra.participants")
record ParticipantsProperties(@DefaultValue("4") @Min(1) int maxConcurrent,
		@DefaultValue("10000") @Min(1) @Max(1_000_000) int maxConcurrentLimit) {

}
