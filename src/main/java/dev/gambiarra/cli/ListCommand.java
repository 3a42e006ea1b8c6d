package dev.gambiarra.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import dev.gambiarra.shell.TextTable;

/** {@code list}: the hub's rooms as a table or as its JSON. */
@Component
class ListCommand {

	private static final String HELP = "Usage: list [--json true] [--hub URL|auto] ('help list' lists every "
			+ "option)";

	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
		.withZone(ZoneId.systemDefault());

	private final ClientSupport support;

	ListCommand(ClientSupport support) {
		this.support = support;
	}

	@Command(name = "list", group = ClientSupport.GROUP, help = HELP, description = "List the rooms of a hub")
	void list(@Option(longName = "json", description = "print JSON instead of a table", defaultValue = "false")
	boolean json, @Option(longName = "hub", description = ClientSupport.HUB_OPTION) @Nullable String hub,
			CommandContext context) {
		Remote remote = this.support.hub(hub);
		Reply reply = remote.get("/rooms", null);
		if (!reply.ok()) {
			throw reply.failure("list rooms");
		}
		PrintWriter out = context.outputWriter();
		if (json) {
			out.println(Reply.JSON.writeValueAsString(reply.body()));
			return;
		}
		JsonNode rooms = reply.body().path("rooms");
		if (rooms.isEmpty()) {
			out.println("No rooms on " + remote.base());
			return;
		}
		List<List<String>> rows = new ArrayList<>();
		for (JsonNode room : rooms) {
			rows.add(List.of(room.path("code").asString(""), room.path("name").asString(""),
					Integer.toString(room.path("participantCount").asInt(0)),
					room.path("protected").asBoolean(false) ? "yes" : "no",
					DATE.format(Instant.ofEpochMilli(room.path("createdAt").asLong(0)))));
		}
		out.print(TextTable.render(List.of("CODE", "NAME", "PARTICIPANTS", "PROTECTED", "CREATED"), rows));
	}

}
