package dev.gambiarra.config;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds on what clients may ask of the hub.
 *
 * @param maxBodySize largest accepted request body; larger ones get 413
 * @param maxRooms rooms one hub holds at once
 * @param maxParticipantsPerRoom participants one room holds at once
 * @param maxNameLength longest room name or participant nickname
 * @param maxFieldLength longest id, model name or endpoint URL
 */
@Validated
@ConfigurationProperties("gambiarra.limits")
public record LimitsProperties(@DefaultValue("10MB") DataSize maxBodySize, @DefaultValue("1000") @Min(1) int maxRooms,
		@DefaultValue("256") @Min(1) int maxParticipantsPerRoom, @DefaultValue("100") @Min(1) int maxNameLength,
		@DefaultValue("2048") @Min(16) int maxFieldLength) {

}
