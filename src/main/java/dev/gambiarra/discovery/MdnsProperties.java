package dev.gambiarra.discovery;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * LAN discovery over mDNS.
 *
 * @param enabled publish this hub as {@code _gambiarra._tcp.local.} while it runs
 * @param networkInterface ({@code gambiarra.mdns.interface}) where mDNS runs, for publishing and browsing: an
 * interface name ({@code eth0}) or one of the machine's addresses ({@code 192.168.1.20}); empty lets jmDNS pick the
 * machine's main address
 * @param browseTimeout how long a client listens for hubs when it asks who is out there
 */
@ConfigurationProperties("gambiarra.mdns")
public record MdnsProperties(@DefaultValue("false") boolean enabled, @Name("interface") @Nullable String networkInterface,
		@DefaultValue("6s") Duration browseTimeout) {

}
