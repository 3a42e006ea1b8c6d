package dev.gambiarra.cli;

import org.jspecify.annotations.Nullable;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** {@code monitor}: the live view of a room ({@link RoomMonitor}) until the room closes or Ctrl+C. */
@Component
class MonitorCommand {

	private static final String HELP = "Usage: monitor --code CODE [--password P] [--plain true] [--count N] "
			+ "[--hub URL|auto] ('help monitor' lists every option)";

	private final ClientSupport support;

	MonitorCommand(ClientSupport support) {
		this.support = support;
	}

	@Command(name = "monitor", group = ClientSupport.GROUP, help = HELP,
			description = "Live view of a room: participants, health, recent events, throughput")
	void monitor(@Option(longName = "code", description = "room code", required = true) String code,
			@Option(longName = "password", description = "room password") @Nullable String password,
			@Option(longName = "plain", description = "append frames instead of redrawing the screen",
					defaultValue = "false") boolean plain,
			@Option(longName = "count", description = "stop after this many events (0: until Ctrl+C)",
					defaultValue = "0") int count,
			@Option(longName = "hub", description = ClientSupport.HUB_OPTION) @Nullable String hub,
			CommandContext context) {
		password = (password != null) ? password : "";
		this.support.oneShotOnly("monitor");
		Remote remote = this.support.hub(hub);
		CliProperties properties = this.support.properties();
		new RoomMonitor(remote, code.strip(), password.isEmpty() ? null : password, context.outputWriter(), plain,
				properties.monitorRefresh(), properties.monitorIdleTimeout())
			.run(count);
	}

}
