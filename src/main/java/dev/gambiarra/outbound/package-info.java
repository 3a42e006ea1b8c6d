/**
 * Where the hub may connect: the one {@link dev.gambiarra.outbound.EndpointPolicy} every outbound URL goes through
 * (participant endpoints, agent provider base URLs) and the {@link dev.gambiarra.outbound.AddressGuard} that checks
 * each connection's resolved address again at connect time; and how an answer is read from such a connection
 * ({@link dev.gambiarra.outbound.ReadCoalescer}: one buffer per read, shared by the relay and {@code join --tunnel}).
 */
@NullMarked
package dev.gambiarra.outbound;

import org.jspecify.annotations.NullMarked;
