package dev.gambiarra.participants;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Participant presence.
 *
 * @param interval how often participants are expected to POST {@code /health}, and how often the sweep runs
 * @param timeout a participant not seen for this long becomes {@code offline}
 */
@ConfigurationProperties("gambiarra.health")
record HealthProperties(@DefaultValue("10s") Duration interval, @DefaultValue("30s") Duration timeout) {

}
