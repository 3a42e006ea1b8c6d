/**
 * Where the hub may connect: the one {@link dev.gambiarra.outbound.EndpointPolicy} every outbound URL goes through
 * (participant endpoints, agent provider base URLs) and the {@link dev.gambiarra.outbound.AddressGuard} that checks
 * each connection's resolved address again at connect time.
 */
@NullMarked
package dev.gambiarra.outbound;

import org.jspecify.annotations.NullMarked;
