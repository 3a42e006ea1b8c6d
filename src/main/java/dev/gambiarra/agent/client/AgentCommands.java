package dev.gambiarra.agent.client;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import dev.gambiarra.agent.client.approval.AgentConsole;
import dev.gambiarra.agent.client.approval.ApprovalPolicy;
import dev.gambiarra.agent.client.approval.Approvals;
import dev.gambiarra.agent.client.security.CommandPolicy;
import dev.gambiarra.agent.client.security.CommandRunner;
import dev.gambiarra.agent.client.security.Workspace;
import dev.gambiarra.agent.client.tools.FileLimits;
import dev.gambiarra.agent.client.tools.ToolBox;
import dev.gambiarra.discovery.DiscoveredHub;
import dev.gambiarra.discovery.MdnsBrowser;
import dev.gambiarra.shell.CliException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * The one-shot {@code agent} command: connects to a hub's agent endpoint and runs the model's tool requests in a
 * local workspace, asking before anything risky.
 */
@Component
class AgentCommands {

	private static final String GROUP = "Agent";

	private final AgentClientProperties properties;

	private final boolean insideHub;

	private final Supplier<Optional<DiscoveredHub>> lanHub;

	private final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	AgentCommands(AgentClientProperties properties, ApplicationContext context, ObjectProvider<MdnsBrowser> browser) {
		this(properties, context instanceof WebServerApplicationContext, () -> browser.getObject().first());
	}

	AgentCommands(AgentClientProperties properties, boolean insideHub) {
		this(properties, insideHub, Optional::empty);
	}

	/** @param lanHub {@code --hub auto}: the first hub mDNS finds within {@code gambiarra.mdns.browse-timeout} */
	AgentCommands(AgentClientProperties properties, boolean insideHub, Supplier<Optional<DiscoveredHub>> lanHub) {
		this.properties = properties;
		this.insideHub = insideHub;
		this.lanHub = lanHub;
	}

	@Command(name = "agent", group = GROUP, description = "Coding agent: the hub's model works in a local folder; "
			+ "tools run here, checked and approved: agent --task TEXT [--workspace DIR] [--room CODE | --base-url URL "
			+ "| --provider test] [--model M] [--auto-approve-reads true]")
	void agent(@Option(longName = "task", description = "what to do (omit to type tasks one after another)")
	@Nullable String task,
			@Option(longName = "workspace", description = "the folder the agent works in (default: current)")
			@Nullable String workspace,
			@Option(longName = "hub", description = "hub URL, or auto to find it on the LAN (default "
					+ "gambiarra.agent.client.hub)") @Nullable String hub,
			@Option(longName = "room", description = "use the models of this room on the hub") @Nullable String room,
			@Option(longName = "model", description = "model: * (any), model:NAME, participant id, or a model name")
			@Nullable String model,
			@Option(longName = "password", description = "room password") @Nullable String password,
			@Option(longName = "base-url", description = "an OpenAI-compatible base URL with /v1, called by the hub")
			@Nullable String baseUrl,
			@Option(longName = "api-key", description = "API key for --base-url") @Nullable String apiKey,
			@Option(longName = "provider", description = "room, openai or test (default: room when --room is given, "
					+ "openai with --base-url, else test)") @Nullable String provider,
			@Option(longName = "mode", description = "code (all tools) or ask (read-only)", defaultValue = "code")
			String mode,
			@Option(longName = "auto-approve-reads", description = "run read-only tools without asking",
					defaultValue = "false") boolean autoApproveReads,
			@Option(longName = "auto-approve-writes", description = "change files without asking",
					defaultValue = "false") boolean autoApproveWrites,
			@Option(longName = "token", description = "the hub's agent token") @Nullable String token,
			CommandContext context) {
		if (this.insideHub) {
			throw CliException.usage("'agent' runs as a one-shot command: java -jar gambiarra.jar agent ...");
		}
		String chosenMode = mode.strip().toLowerCase(Locale.ROOT);
		if (!chosenMode.equals("code") && !chosenMode.equals("ask")) {
			throw CliException.usage("--mode must be code or ask");
		}
		Workspace space;
		try {
			space = Workspace.of(Path.of(workspace != null ? workspace : this.properties.workspace()));
		}
		catch (RuntimeException ex) {
			throw CliException.usage(ex.getMessage() != null ? ex.getMessage() : "Bad workspace folder");
		}
		JsonNode providerNode = provider(provider, room, model, password, baseUrl, apiKey);
		PrintWriter out = context.outputWriter();
		String hubUrl = (hub != null) ? hub.strip() : this.properties.hub();
		if (hubUrl.equalsIgnoreCase("auto")) {
			DiscoveredHub found = lanHub();
			out.println("Using hub " + found.name() + " at " + found.url() + " (found by mDNS)");
			hubUrl = found.url().toString();
		}
		URI hubUri;
		try {
			hubUri = URI.create(hubUrl);
			AgentClient.agentUri(hubUri);
		}
		catch (IllegalArgumentException ex) {
			throw CliException.usage("Bad hub URL: " + ex.getMessage());
		}
		AgentConsole console = new AgentConsole(System.in, out);
		AgentClientProperties.ApprovalSettings approvals = this.properties.approvals();
		ApprovalPolicy policy = new ApprovalPolicy(autoApproveReads || approvals.autoApproveReads(),
				autoApproveWrites || approvals.autoApproveWrites(), approvals.autoApproveCommands());
		ToolBox tools = new ToolBox(space, settings(this.properties), new Approvals(policy, console));
		AgentClient.Options options = new AgentClient.Options(hubUri,
				token != null ? token : this.properties.token(), chosenMode, providerNode, List.of(), task,
				task == null, this.properties.connectTimeout(), this.properties.maxResumes(),
				this.properties.resumeDelay());
		out.println("Workspace: " + space.root() + " (tools run here; reads "
				+ (policy.autoApproveReads() ? "auto-approved" : "asked") + ", writes "
				+ (policy.autoApproveWrites() ? "auto-approved" : "asked") + ", commands "
				+ (policy.autoApproveCommands() ? "auto-approved" : "asked") + ")");
		out.flush();
		AgentClient.Result result = new AgentClient(options, tools, console, this.json).run();
		out.flush();
		if (!result.completed()) {
			throw CliException.failure(result.message());
		}
	}

	private DiscoveredHub lanHub() {
		Optional<DiscoveredHub> found;
		try {
			found = this.lanHub.get();
		}
		catch (RuntimeException ex) {
			Throwable root = ex;
			while (root.getCause() != null) {
				root = root.getCause();
			}
			throw CliException.failure("LAN discovery (mDNS) failed: "
					+ ((root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName()));
		}
		return found.orElseThrow(() -> CliException.failure("No Gambiarra hub found on the network; pass --hub URL "
				+ "instead of auto"));
	}

	/** The tool box settings from configuration. */
	static ToolBox.Settings settings(AgentClientProperties properties) {
		AgentClientProperties.CommandSettings commands = properties.commands();
		AgentClientProperties.FileSettings files = properties.files();
		List<String> allow = (commands.allow() != null) ? commands.allow() : CommandPolicy.DEFAULT_ALLOW;
		List<String> deny = (commands.deny() != null) ? commands.deny() : CommandPolicy.DEFAULT_DENY;
		FileLimits limits = new FileLimits(files.maxFileSize().toBytes(), files.maxReadLines(), files.maxListEntries(),
				files.maxSearchResults(), files.searchTimeout());
		CommandRunner runner = new CommandRunner(commands.timeout(), (int) Math.min(Integer.MAX_VALUE,
				commands.maxOutput().toBytes()));
		return new ToolBox.Settings(files.backupDir(), limits, allow, deny, commands.allowDangerous(), runner,
				(files.ignore() != null) ? files.ignore() : List.of());
	}

	private JsonNode provider(@Nullable String kind, @Nullable String room, @Nullable String model,
			@Nullable String password, @Nullable String baseUrl, @Nullable String apiKey) {
		String chosen = (kind != null) ? kind.strip().toLowerCase(Locale.ROOT)
				: (room != null) ? "room" : (baseUrl != null) ? "openai" : "test";
		ObjectNode node = this.json.createObjectNode();
		node.put("kind", chosen);
		switch (chosen) {
			case "room" -> {
				if (room == null || room.isBlank()) {
					throw CliException.usage("--provider room needs --room CODE");
				}
				node.put("room", room.strip());
				node.put("model", (model != null) ? model : "*");
				if (password != null && !password.isEmpty()) {
					node.put("password", password);
				}
			}
			case "openai" -> {
				if (baseUrl == null || baseUrl.isBlank() || model == null || model.isBlank()) {
					throw CliException.usage("--provider openai needs --base-url URL and --model NAME");
				}
				node.put("baseUrl", baseUrl.strip());
				node.put("model", model);
				if (apiKey != null && !apiKey.isEmpty()) {
					node.put("apiKey", apiKey);
				}
			}
			case "test" -> {
				if (model != null) {
					node.put("model", model);
				}
			}
			default -> throw CliException.usage("--provider must be room, openai or test");
		}
		return node;
	}

}
