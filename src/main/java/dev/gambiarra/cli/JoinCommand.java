package dev.gambiarra.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import dev.gambiarra.shell.CliException;

/**
 * {@code join}: shares a local LLM in a room, heartbeating until Ctrl+C, then leaves ({@link JoinSession}). With
 * {@code --tunnel} the hub reaches the LLM through a WebSocket this process opens (docs/tunnel-protocol.md).
 */
@Component
class JoinCommand {

	private static final String HELP = "Usage: join --code CODE [--model NAME] [--endpoint "
			+ "http://localhost:11434] [--nickname N] [--password P] [--no-specs "
			+ "true] [--id ID] [--tunnel [--api-key KEY]] [--hub URL|auto] ('help join' lists every option)";

	private final ClientSupport support;

	private volatile @Nullable JoinSession session;

	JoinCommand(ClientSupport support) {
		this.support = support;
	}

	@Command(name = "join", group = ClientSupport.GROUP, help = HELP,
			description = "Share a local LLM in a room; heartbeats until Ctrl+C, then leaves")
	void join(@Option(longName = "code", description = "room code", required = true) String code,
			@Option(longName = "model", description = "model to serve (default: the endpoint's only model)")
			@Nullable String model,
			@Option(longName = "endpoint", description = "LLM server base URL",
					defaultValue = "http://localhost:11434") String endpoint,
			@Option(longName = "nickname", description = "name shown to the room") @Nullable String nickname,
			@Option(longName = "password", description = "room password") @Nullable String password,
			@Option(longName = "no-specs", description = "do not report CPU/RAM/GPU",
					defaultValue = "false") boolean noSpecs,
			@Option(longName = "id", description = "participant id (default: random)") @Nullable String id,
			@Option(longName = "tunnel", description = "behind NAT: serve through a connection to the hub, which "
					+ "never dials the endpoint (it never leaves this machine)", defaultValue = "false") boolean tunnel,
			@Option(longName = "api-key", description = "with --tunnel: the local server's own API key, sent to it "
					+ "as Authorization: Bearer (never to the hub)") @Nullable String apiKey,
			@Option(longName = "hub", description = ClientSupport.HUB_OPTION) @Nullable String hub,
			CommandContext context) {
		String localKey = (apiKey != null && !apiKey.isBlank()) ? apiKey.strip() : null;
		if (localKey != null && !tunnel) {
			// A direct participant is called by the hub, which would then have to hold the key.
			throw CliException.usage("--api-key needs --tunnel: without it the hub calls --endpoint itself");
		}
		model = (model != null) ? model : "";
		nickname = (nickname != null) ? nickname : "";
		password = (password != null) ? password : "";
		id = (id != null) ? id : "";
		this.support.oneShotOnly("join");
		Remote remote = this.support.hub(hub);
		PrintWriter out = context.outputWriter();
		String base = endpointBase(endpoint);
		List<String> models = detectModels(base, localKey);
		String chosen = chooseModel(model, models, base);
		Map<String, Object> registration = new LinkedHashMap<>();
		registration.put("id", id.isBlank() ? UUID.randomUUID().toString() : id);
		registration.put("nickname", nickname.isBlank() ? defaultNickname() : nickname);
		registration.put("model", chosen);
		if (tunnel) {
			registration.put("tunnel", true);
		}
		else {
			registration.put("endpoint", base);
		}
		registration.put("specs", noSpecs ? Map.of() : SystemSpecs.detect());
		Duration interval = this.support.properties().heartbeatInterval();
		JoinSession joined = new JoinSession(remote, code.strip(), registration, password.isEmpty() ? null : password,
				interval, out, tunnel ? base : null, localKey);
		JsonNode answer = joined.join();
		out.println("Joined room " + code.toUpperCase(Locale.ROOT) + " as " + registration.get("nickname")
				+ " serving " + chosen + " from " + base + " (participant "
				+ answer.path("participant").path("id").asString() + ")");
		out.println(tunnel ? "Serving through a tunnel to the hub (the hub never dials " + base
				+ "). Press Ctrl+C to leave." : "Heartbeat every " + interval.toSeconds() + "s. Press Ctrl+C to leave.");
		out.flush();
		this.session = joined;
		try {
			ClientSupport.withShutdownHook(new Thread(() -> joined.stop(Duration.ofSeconds(5)), "gambiarra-leave"),
					joined::run);
		}
		finally {
			this.session = null;
		}
	}

	/** The running join session (for tests and the shutdown hook), or {@code null}. */
	@Nullable JoinSession session() {
		return this.session;
	}

	static String endpointBase(String endpoint) {
		String base = CliHttp.trimSlash(endpoint);
		if (base.endsWith("/v1")) {
			base = base.substring(0, base.length() - 3);
		}
		if (!base.startsWith("http://") && !base.startsWith("https://")) {
			throw CliException.usage("--endpoint must be an http(s) URL such as http://localhost:11434");
		}
		return base;
	}

	/** The endpoint's models: Ollama's {@code /api/tags} first, then OpenAI's {@code /v1/models}. */
	List<String> detectModels(String base) {
		return detectModels(base, null);
	}

	/** As {@link #detectModels(String)}, with the local server's own key ({@code --api-key}) if it needs one. */
	List<String> detectModels(String base, @Nullable String apiKey) {
		Remote endpoint = this.support.remote(base);
		String unreachable = null;
		List<String> models = new ArrayList<>();
		try {
			Reply tags = endpoint.get("/api/tags", apiKey);
			if (tags.ok()) {
				tags.body()
					.path("models")
					.forEach((m) -> models.add(m.path("name").asString(m.path("model").asString(""))));
			}
		}
		catch (CliException ex) {
			unreachable = ex.getMessage();
		}
		if (models.isEmpty() && unreachable == null) {
			Reply list = endpoint.get("/v1/models", apiKey);
			if (list.ok()) {
				list.body().path("data").forEach((m) -> models.add(m.path("id").asString("")));
			}
			else {
				throw CliException.failure("The endpoint " + base + " lists no models (/api/tags and /v1/models: "
						+ list.status() + ")");
			}
		}
		if (unreachable != null) {
			throw CliException.failure("Cannot reach the LLM endpoint " + base + ": " + unreachable);
		}
		models.removeIf(String::isBlank);
		if (models.isEmpty()) {
			throw CliException.failure("The endpoint " + base + " serves no models");
		}
		return models;
	}

	static String chooseModel(String wanted, List<String> available, String base) {
		if (wanted.isBlank()) {
			if (available.size() == 1) {
				return available.get(0);
			}
			throw CliException.usage("Choose a model with --model; " + base + " serves: "
					+ String.join(", ", available));
		}
		for (String model : available) {
			if (model.equals(wanted) || model.equals(wanted + ":latest")) {
				return model;
			}
		}
		throw CliException.failure("Model '" + wanted + "' not found at " + base + ". Available: "
				+ String.join(", ", available));
	}

	private static String defaultNickname() {
		String user = System.getProperty("user.name", "someone");
		try {
			return user + "@" + InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return user;
		}
	}

}
