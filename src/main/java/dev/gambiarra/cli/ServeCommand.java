package dev.gambiarra.cli;

import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

import dev.gambiarra.shell.CliException;

/** {@code serve}: listed in {@code help}; the launcher turns it into server properties before Spring starts. */
@Component
class ServeCommand {

	private static final String HELP = "Usage: serve [--port 3000] [--host ADDRESS] [--mdns] [--quiet] [--demo "
			+ "true|false] [--console true|false] ('help serve' lists every option)";

	private final ClientSupport support;

	ServeCommand(ClientSupport support) {
		this.support = support;
	}

	@Command(name = "serve", group = ClientSupport.GROUP, help = HELP,
			description = "Start the hub: serve [--port 3000] [--host 0.0.0.0] [--mdns] [--quiet] [--demo false]")
	void serve() {
		this.support.oneShotOnly("serve");
		// Reaching this method means the arguments could not be read as server properties.
		throw CliException.usage("serve takes --port N, --host ADDRESS, --mdns, --quiet, --demo true|false");
	}

}
