package dev.gambiarra.agent.provider;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the agent reaches its models.
 *
 * @param connectTimeout opening a connection to an OpenAI-compatible server or the test LLM
 * @param firstTokenTimeout from sending a request to the first token of the answer (models load slowly)
 * @param idleTimeout longest silence between two chunks of an answer
 * @param maxRetries retries of a failed request before its first token (connect errors, timeouts, 5xx, 429)
 * @param retryBackoff first retry delay, doubled each time (with jitter)
 * @param maxRetryBackoff cap on the retry delay
 * @param breakerFailures failed requests in a row that open a provider's circuit breaker
 * @param breakerCooldown how long an open breaker refuses requests before one trial request
 * @param testLlmUrl base URL (with {@code /v1}) of the test LLM used by {@code {"kind":"test"}}; unset means none
 * @param testLlmModel model name sent to the test LLM when the client gives none
 * @param allowClientEndpoints whether clients may name their own OpenAI-compatible base URL
 * @param maxConnections pooled connections to OpenAI-compatible servers
 */
@Validated
@ConfigurationProperties("gambiarra.agent.provider")
public record ProviderProperties(@DefaultValue("5s") Duration connectTimeout,
		@DefaultValue("120s") Duration firstTokenTimeout, @DefaultValue("60s") Duration idleTimeout,
		@DefaultValue("2") @Min(0) int maxRetries, @DefaultValue("500ms") Duration retryBackoff,
		@DefaultValue("5s") Duration maxRetryBackoff, @DefaultValue("3") @Min(1) int breakerFailures,
		@DefaultValue("30s") Duration breakerCooldown, @Nullable String testLlmUrl,
		@DefaultValue("scripted") String testLlmModel, @DefaultValue("true") boolean allowClientEndpoints,
		@DefaultValue("64") @Min(1) int maxConnections) {

}
