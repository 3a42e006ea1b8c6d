package dev.gambiarra.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import dev.gambiarra.discovery.DiscoveredHub;
import dev.gambiarra.shell.CliException;
import dev.gambiarra.shell.TextTable;

/** {@code discover}: the hubs announced on the LAN over mDNS, as a table or JSON. */
@Component
class DiscoverCommand {

	private static final String HELP = "Usage: discover [--timeout SECONDS] [--json true] ('help discover' "
			+ "lists every option)";

	/** Longest {@code --timeout} accepted: discovery is meant to be quick. */
	private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

	private final ClientSupport support;

	DiscoverCommand(ClientSupport support) {
		this.support = support;
	}

	@Command(name = "discover", group = ClientSupport.GROUP, help = HELP,
			description = "List the hubs announced on the LAN (mDNS): name, URL, version")
	void discover(@Option(longName = "timeout",
			description = "seconds to listen (default gambiarra.mdns.browse-timeout)") @Nullable String timeout,
			@Option(longName = "json", description = "print JSON instead of a table", defaultValue = "false")
			boolean json, CommandContext context) {
		HubFinder finder = this.support.finder();
		Duration listen = (timeout != null) ? seconds(timeout) : finder.defaultTimeout();
		List<DiscoveredHub> hubs = ClientSupport.search(() -> finder.discover(listen));
		PrintWriter out = context.outputWriter();
		if (json) {
			List<Map<String, String>> list = new ArrayList<>();
			for (DiscoveredHub hub : hubs) {
				Map<String, String> entry = new LinkedHashMap<>();
				entry.put("name", hub.name());
				entry.put("url", hub.url().toString());
				entry.put("version", hub.version());
				list.add(entry);
			}
			out.println(Reply.JSON.writeValueAsString(Map.of("hubs", list)));
		}
		if (hubs.isEmpty()) {
			throw CliException.failure(ClientSupport.noHubMessage(listen));
		}
		if (json) {
			return;
		}
		List<List<String>> rows = new ArrayList<>();
		for (DiscoveredHub hub : hubs) {
			rows.add(List.of(hub.name(), hub.url().toString(), hub.version()));
		}
		out.print(TextTable.render(List.of("NAME", "URL", "VERSION"), rows));
	}

	/** {@code --timeout} in seconds (decimals allowed), above 0 and at most 5 minutes. */
	static Duration seconds(String value) {
		Duration duration;
		try {
			duration = Duration.ofMillis(new BigDecimal(value.strip()).movePointRight(3)
				.setScale(0, RoundingMode.CEILING)
				.longValueExact());
		}
		catch (NumberFormatException | ArithmeticException ex) {
			throw CliException.usage("--timeout must be a number of seconds, such as 3 or 1.5");
		}
		if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_TIMEOUT) > 0) {
			throw CliException.usage("--timeout must be above 0 and at most " + MAX_TIMEOUT.toSeconds() + " seconds");
		}
		return duration;
	}

}
