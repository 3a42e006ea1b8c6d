/**
 * What the hub measures while it relays: per-request metrics for {@code llm:complete}, Micrometer meters, the
 * per-request log line and the per-room stats snapshot.
 */
@NullMarked
package dev.gambiarra.metrics;

import org.jspecify.annotations.NullMarked;
