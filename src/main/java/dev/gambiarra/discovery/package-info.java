/**
 * LAN discovery over mDNS (jmDNS): the hub publishes {@code _gambiarra._tcp.local.} while it runs
 * ({@link dev.gambiarra.discovery.MdnsPublisher}) and clients find hubs with
 * {@link dev.gambiarra.discovery.MdnsBrowser}. jmDNS blocks and runs its own threads, so every call to it happens on
 * {@code boundedElastic}, never on an event loop.
 */
@NullMarked
package dev.gambiarra.discovery;

import org.jspecify.annotations.NullMarked;
