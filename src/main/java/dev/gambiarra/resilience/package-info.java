/**
 * Keeping failing dependencies out of the way: the one {@link dev.gambiarra.resilience.CircuitBreaker} the proxy
 * (per participant) and the agent (per provider) both use, on an injected clock.
 */
@NullMarked
package dev.gambiarra.resilience;

import org.jspecify.annotations.NullMarked;
