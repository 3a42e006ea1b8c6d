/**
 * The coding agent: a WebSocket endpoint where clients run tools the hub's models ask for.
 */
@NullMarked
package dev.gambiarra.agent;

import org.jspecify.annotations.NullMarked;
