package dev.gambiarra.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** {@code create}: a room on the hub; prints its code, host secret and OpenAI base URL. */
@Component
class CreateCommand {

	private static final String HELP = "Usage: create --name NAME [--password P] [--json true] "
			+ "[--hub URL|auto] ('help create' lists every option)";

	private final ClientSupport support;

	CreateCommand(ClientSupport support) {
		this.support = support;
	}

	@Command(name = "create", group = ClientSupport.GROUP, help = HELP,
			description = "Create a room and print its code and host secret")
	void create(@Option(longName = "name", description = "room name", required = true) String name,
			@Option(longName = "password", description = "room password (optional)") @Nullable String password,
			@Option(longName = "json", description = "print the hub's JSON answer", defaultValue = "false") boolean json,
			@Option(longName = "hub", description = ClientSupport.HUB_OPTION) @Nullable String hub,
			CommandContext context) {
		password = (password != null) ? password : "";
		Remote remote = this.support.hub(hub);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", name);
		if (!password.isEmpty()) {
			body.put("password", password);
		}
		Reply reply = remote.post("/rooms", body, null);
		if (!reply.ok()) {
			throw reply.failure("create the room");
		}
		PrintWriter out = context.outputWriter();
		if (json) {
			out.println(reply.text());
			return;
		}
		JsonNode room = reply.body().path("room");
		out.println("Room " + room.path("code").asString() + " \"" + room.path("name").asString() + "\" created"
				+ (password.isEmpty() ? "" : " (protected)"));
		out.println("Host secret (keep it: it closes the room and kicks participants): "
				+ reply.body().path("hostId").asString());
		out.println("OpenAI base URL: " + remote.base() + "/rooms/" + room.path("code").asString() + "/v1");
	}

}
