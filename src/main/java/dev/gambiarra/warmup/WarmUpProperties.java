package dev.gambiarra.warmup;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The start-up warm-up.
 *
 * @param enabled relay {@code requests} through the hub's own HTTP stack before its port opens
 * @param requests how many requests the warm-up relays (chat streamed and not, completions, embeddings)
 * @param concurrency how many of them at a time
 * @param timeout the longest the warm-up may delay the start; it stops there and the hub starts anyway
 */
@Validated
@ConfigurationProperties("gambiarra.warmup")
record WarmUpProperties(@DefaultValue("true") boolean enabled, @DefaultValue("4000") @Min(1) @Max(1_000_000) int requests,
		@DefaultValue("8") @Min(1) @Max(256) int concurrency, @DefaultValue("20s") Duration timeout) {

}
