/**
 * Start-up warm-up: before the hub opens its port, it relays a few thousand requests through its own HTTP stack to
 * an embedded test LLM, so the JIT has compiled the relay's hot path before the first client arrives.
 */
@NullMarked
package dev.gambiarra.warmup;

import org.jspecify.annotations.NullMarked;
