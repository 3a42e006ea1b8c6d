/**
 * Graceful shutdown: on SIGTERM the hub tells every room it is closing ({@code room:closed}), withdraws itself from
 * mDNS, ends its event streams, stops accepting connections, lets in-flight requests finish within
 * {@code gambiarra.shutdown.grace-period}, and exits 0.
 */
@NullMarked
package dev.gambiarra.shutdown;

import org.jspecify.annotations.NullMarked;
