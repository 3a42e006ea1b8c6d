/**
 * Participants behind NAT: the WebSocket a participant opens to the hub, the frames on it (docs/tunnel-protocol.md)
 * and the client end that {@code join --tunnel} runs.
 */
@NullMarked
package dev.gambiarra.tunnel;

import org.jspecify.annotations.NullMarked;
