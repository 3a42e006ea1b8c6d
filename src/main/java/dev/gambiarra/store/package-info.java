/**
 * Where the hub's shared state lives: {@code gambiarra.store.*}, the Redis connection several hubs share, its health
 * and its failures.
 */
@NullMarked
package dev.gambiarra.store;

import org.jspecify.annotations.NullMarked;
