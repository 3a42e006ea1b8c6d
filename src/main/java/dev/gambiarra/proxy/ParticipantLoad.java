package dev.gambiarra.proxy;

import dev.gambiarra.resilience.CircuitState;

/**
 * What one participant is doing right now, as consoles, stats and {@code GET .../participants/{id}/load} show it.
 *
 * @param inFlight requests it is serving
 * @param maxConcurrent its cap; at the cap its status is {@code busy}
 * @param circuit its circuit breaker
 * @param consecutiveFailures failures since its last success
 * @param retryInMillis while the circuit is open, time until a trial request may go through; 0 otherwise
 */
public record ParticipantLoad(int inFlight, int maxConcurrent, CircuitState circuit, int consecutiveFailures,
		long retryInMillis) {

}
