/**
 * Graceful shutdown: on SIGTERM the hub tells every room it is closing ({@code room:closed}) and ends its event
 * streams, then stops accepting connections and lets in-flight requests finish within
 * {@code gambiarra.shutdown.grace-period} while it withdraws itself from mDNS, and exits 0.
 */
@NullMarked
package dev.gambiarra.shutdown;

import org.jspecify.annotations.NullMarked;
