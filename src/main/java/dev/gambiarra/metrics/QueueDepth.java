package dev.gambiarra.metrics;

/**
 * Requests waiting for a free participant, hub-wide. The routing code that owns the queue provides a bean; without
 * one the {@code gambiarra.proxy.queue.depth} gauge reads 0.
 */
@FunctionalInterface
public interface QueueDepth {

	int queued();

}
