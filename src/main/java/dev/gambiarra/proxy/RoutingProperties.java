package dev.gambiarra.proxy;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How requests are spread over participants and what happens when they are busy or failing.
 *
 * @param queueCapacity requests one room holds waiting for a free participant; beyond it, 503 at once
 * @param queueTimeout longest wait in that queue before 503
 * @param retryAfter the {@code Retry-After} a client gets with a 503 from a full queue or a queue timeout
 * @param maxAttempts participants one {@code *} / {@code model:} request may try when they fail before the first byte
 * @param circuitFailureThreshold consecutive failures that take a participant out of rotation
 * @param circuitCoolDown how long it stays out before one trial request
 */
@Validated
@ConfigurationProperties("gambiarra.routing")
record RoutingProperties(@DefaultValue("256") @Min(0) int queueCapacity, @DefaultValue("30s") Duration queueTimeout,
		@DefaultValue("5s") Duration retryAfter, @DefaultValue("3") @Min(1) int maxAttempts,
		@DefaultValue("5") @Min(1) int circuitFailureThreshold, @DefaultValue("30s") Duration circuitCoolDown) {

}
