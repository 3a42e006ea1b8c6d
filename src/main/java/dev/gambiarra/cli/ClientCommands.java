package dev.gambiarra.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import dev.gambiarra.discovery.DiscoveredHub;
import dev.gambiarra.discovery.MdnsBrowser;
import dev.gambiarra.shell.CliException;
import dev.gambiarra.shell.TextTable;
import dev.gambiarra.testllm.ScriptedTurn;
import dev.gambiarra.testllm.TestLlmOptions;
import dev.gambiarra.testllm.TestLlmScript;
import dev.gambiarra.testllm.TestLlmServer;

/**
 * One-shot commands against any hub over its HTTP API ({@code --hub}, default {@code gambiarra.cli.hub}). They run
 * on the CLI thread and block; a failure is a {@link CliException} whose one line goes to stderr.
 */
@Component
class ClientCommands {

	private static final String GROUP = "Client (one-shot: java -jar gambiarra.jar COMMAND ...)";

	private static final String SERVE_HELP = "Usage: serve [--port 3000] [--host ADDRESS] [--mdns] [--quiet] [--demo "
			+ "true|false] [--console true|false] ('help serve' lists every option)";

	private static final String CREATE_HELP = "Usage: create --name NAME [--password P] [--json true] "
			+ "[--hub URL|auto] ('help create' lists every option)";

	private static final String HUB_OPTION = "hub URL, or auto to find it on the LAN";

	private static final String LIST_HELP = "Usage: list [--json true] [--hub URL|auto] ('help list' lists every "
			+ "option)";

	private static final String JOIN_HELP = "Usage: join --code CODE [--model NAME] [--endpoint "
			+ "http://localhost:11434] [--nickname N] [--password P] [--no-specs "
			+ "true] [--id ID] [--hub URL|auto] ('help join' lists every option)";

	private static final String CHAT_HELP = "Usage: chat --code CODE --prompt TEXT [--model *|model:NAME|ID] "
			+ "[--system TEXT] [--password P] [--stream false] [--hub URL|auto] ('help "
			+ "chat' lists every option)";

	private static final String MONITOR_HELP = "Usage: monitor --code CODE [--password P] [--plain true] [--count N] "
			+ "[--hub URL|auto] ('help monitor' lists every option)";

	private static final String TEST_LLM_HELP = "Usage: test-llm [--port 8001] [--host 127.0.0.1] [--models a,b] "
			+ "[--chunks N] [--delay-ms N] [--script turns.json] ('help test-llm' "
			+ "lists every option)";

	private static final String DISCOVER_HELP = "Usage: discover [--timeout SECONDS] [--json true] ('help discover' "
			+ "lists every option)";

	/** {@code --hub auto}: find the hub on the LAN over mDNS. */
	static final String AUTO = "auto";

	/** Longest {@code --timeout} accepted: discovery is meant to be quick. */
	private static final Duration MAX_DISCOVERY_TIMEOUT = Duration.ofMinutes(5);

	private static final HubFinder NO_FINDER = new HubFinder() {

		@Override
		public Duration defaultTimeout() {
			return Duration.ofSeconds(6);
		}

		@Override
		public List<DiscoveredHub> discover(Duration timeout) {
			throw CliException.failure("LAN discovery is not available here");
		}

		@Override
		public Optional<DiscoveredHub> first(Duration timeout) {
			throw CliException.failure("LAN discovery is not available here");
		}

	};

	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
		.withZone(ZoneId.systemDefault());

	private final CliProperties properties;

	private volatile @Nullable JoinSession session;

	private volatile @Nullable TestLlmServer testLlm;

	private final boolean insideHub;

	private final HubFinder finder;

	private final Consumer<String> notices;

	@Autowired
	ClientCommands(CliProperties properties, ApplicationContext context, ObjectProvider<MdnsBrowser> browser) {
		this(properties, context instanceof WebServerApplicationContext, HubFinder.of(browser), System.err::println);
	}

	ClientCommands(CliProperties properties, boolean insideHub) {
		this(properties, insideHub, NO_FINDER, (line) -> {
		});
	}

	/**
	 * @param finder finds hubs on the LAN for {@code discover} and {@code --hub auto}
	 * @param notices where side remarks go (which hub {@code --hub auto} chose): stderr, so stdout stays the
	 * command's output ({@code --json} included)
	 */
	ClientCommands(CliProperties properties, boolean insideHub, HubFinder finder, Consumer<String> notices) {
		this.properties = properties;
		this.insideHub = insideHub;
		this.finder = finder;
		this.notices = notices;
	}

	/** Long-running client commands would hold the hub's console; they run as one-shot commands only. */
	private void oneShotOnly(String command) {
		if (this.insideHub) {
			throw CliException.usage("'" + command + "' runs as a one-shot command: java -jar gambiarra.jar "
					+ command + " ...");
		}
	}

	@Command(name = "serve", group = GROUP, help = SERVE_HELP,
			description = "Start the hub: serve [--port 3000] [--host 0.0.0.0] [--mdns] [--quiet] [--demo false]")
	void serve() {
		oneShotOnly("serve");
		// The launcher turns 'serve' and its flags into server properties before Spring starts; reaching this
		// method means the arguments could not be read that way.
		throw CliException.usage("serve takes --port N, --host ADDRESS, --mdns, --quiet, --demo true|false");
	}

	@Command(name = "create", group = GROUP, help = CREATE_HELP,
			description = "Create a room and print its code and host secret")
	void create(@Option(longName = "name", description = "room name", required = true) String name,
			@Option(longName = "password", description = "room password (optional)") @Nullable String password,
			@Option(longName = "json", description = "print the hub's JSON answer", defaultValue = "false") boolean json,
			@Option(longName = "hub", description = HUB_OPTION) @Nullable String hub, CommandContext context) {
		password = (password != null) ? password : "";
		hub = hubUrl(hub);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", name);
		if (!password.isEmpty()) {
			body.put("password", password);
		}
		Http.Reply reply = http(hub).post("/rooms", body, null);
		if (!reply.ok()) {
			throw hubFailure(reply, "create the room");
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
		out.println("OpenAI base URL: " + http(hub).base() + "/rooms/" + room.path("code").asString() + "/v1");
	}

	@Command(name = "list", group = GROUP, help = LIST_HELP,
			description = "List the rooms of a hub")
	void list(@Option(longName = "json", description = "print JSON instead of a table", defaultValue = "false")
	boolean json, @Option(longName = "hub", description = HUB_OPTION) @Nullable String hub,
			CommandContext context) {
		hub = hubUrl(hub);
		Http.Reply reply = http(hub).get("/rooms", null);
		if (!reply.ok()) {
			throw hubFailure(reply, "list rooms");
		}
		PrintWriter out = context.outputWriter();
		if (json) {
			out.println(Http.JSON.writeValueAsString(reply.body()));
			return;
		}
		JsonNode rooms = reply.body().path("rooms");
		if (rooms.isEmpty()) {
			out.println("No rooms on " + http(hub).base());
			return;
		}
		List<List<String>> rows = new ArrayList<>();
		for (JsonNode room : rooms) {
			rows.add(List.of(room.path("code").asString(""), room.path("name").asString(""),
					Integer.toString(room.path("participantCount").asInt(0)),
					room.path("protected").asBoolean(false) ? "yes" : "no",
					DATE.format(Instant.ofEpochMilli(room.path("createdAt").asLong(0)))));
		}
		table(out, List.of("CODE", "NAME", "PARTICIPANTS", "PROTECTED", "CREATED"), rows);
	}

	@Command(name = "join", group = GROUP, help = JOIN_HELP,
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
			@Option(longName = "hub", description = HUB_OPTION) @Nullable String hub, CommandContext context) {
		model = (model != null) ? model : "";
		nickname = (nickname != null) ? nickname : "";
		password = (password != null) ? password : "";
		id = (id != null) ? id : "";
		oneShotOnly("join");
		hub = hubUrl(hub);
		PrintWriter out = context.outputWriter();
		String base = endpointBase(endpoint);
		List<String> models = detectModels(base);
		String chosen = chooseModel(model, models, base);
		Map<String, Object> registration = new LinkedHashMap<>();
		registration.put("id", id.isBlank() ? UUID.randomUUID().toString() : id);
		registration.put("nickname", nickname.isBlank() ? defaultNickname() : nickname);
		registration.put("model", chosen);
		registration.put("endpoint", base);
		registration.put("specs", noSpecs ? Map.of() : SystemSpecs.detect());
		JoinSession joined = new JoinSession(http(hub), code.strip(), registration,
				password.isEmpty() ? null : password, this.properties.heartbeatInterval(), out);
		JsonNode answer = joined.join();
		out.println("Joined room " + code.toUpperCase(Locale.ROOT) + " as " + registration.get("nickname")
				+ " serving " + chosen + " from " + base + " (participant " + answer.path("participant")
					.path("id")
					.asString() + ")");
		out.println("Heartbeat every " + this.properties.heartbeatInterval().toSeconds()
				+ "s. Press Ctrl+C to leave.");
		out.flush();
		Thread hook = new Thread(() -> joined.stop(Duration.ofSeconds(5)), "gambiarra-leave");
		Runtime.getRuntime().addShutdownHook(hook);
		this.session = joined;
		try {
			joined.run();
		}
		finally {
			this.session = null;
			removeHook(hook);
		}
	}

	@Command(name = "chat", group = GROUP, help = CHAT_HELP,
			description = "Send a prompt to a room and stream the answer")
	void chat(@Option(longName = "code", description = "room code", required = true) String code,
			@Option(longName = "prompt", description = "the message to send", required = true) String prompt,
			@Option(longName = "model", description = "'*' (anyone), 'model:NAME' or a participant id",
					defaultValue = "*") String model,
			@Option(longName = "system", description = "system prompt") @Nullable String system,
			@Option(longName = "password", description = "room password") @Nullable String password,
			@Option(longName = "stream", description = "stream the answer as it arrives",
					defaultValue = "true") boolean stream,
			@Option(longName = "hub", description = HUB_OPTION) @Nullable String hub, CommandContext context) {
		system = (system != null) ? system : "";
		password = (password != null) ? password : "";
		hub = hubUrl(hub);
		List<Map<String, String>> messages = new ArrayList<>();
		if (!system.isBlank()) {
			messages.add(Map.of("role", "system", "content", system));
		}
		messages.add(Map.of("role", "user", "content", prompt));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("model", model);
		body.put("messages", messages);
		body.put("stream", stream);
		String path = "/rooms/" + code.strip() + "/v1/chat/completions";
		String bearer = password.isEmpty() ? null : password;
		PrintWriter out = context.outputWriter();
		Http client = http(hub);
		if (!stream) {
			Http.Reply reply = client.post(path, body, bearer);
			if (!reply.ok()) {
				throw hubFailure(reply, "chat in room " + code);
			}
			out.println(reply.body().path("choices").path(0).path("message").path("content").asString(""));
			return;
		}
		HttpResponse<Stream<String>> response = client.stream("POST", path, body, bearer,
				this.properties.streamTimeout());
		try (Stream<String> lines = response.body()) {
			if (response.statusCode() != 200) {
				String text = String.join("\n", lines.toList());
				throw hubFailure(new Http.Reply(response.statusCode(), Http.parse(text), text), "chat in room " + code);
			}
			relay(lines.iterator(), out);
		}
		catch (java.io.UncheckedIOException ex) {
			throw CliException.failure("The answer was cut off: " + ex.getCause().getMessage());
		}
	}

	/** Prints the content deltas of an OpenAI SSE stream as they arrive, until {@code [DONE]}. */
	static void relay(Iterator<String> lines, PrintWriter out) {
		String event = "";
		boolean wroteSomething = false;
		while (lines.hasNext()) {
			String line = lines.next();
			if (line.startsWith("event:")) {
				event = line.substring(6).strip();
				continue;
			}
			if (!line.startsWith("data:")) {
				continue;
			}
			String data = line.substring(5).strip();
			if (data.equals("[DONE]")) {
				if (wroteSomething) {
					out.println();
				}
				out.flush();
				return;
			}
			JsonNode chunk = Http.parse(data);
			if (event.equals("error") || chunk.has("error")) {
				out.println();
				out.flush();
				throw CliException.failure("The answer failed midway: " + new Http.Reply(500, chunk, data).error());
			}
			String content = chunk.path("choices").path(0).path("delta").path("content").asString("");
			if (!content.isEmpty()) {
				out.print(content);
				out.flush();
				wroteSomething = true;
			}
		}
		out.println();
		out.flush();
		throw CliException.failure("The answer was cut off: the stream ended without [DONE]");
	}

	@Command(name = "monitor", group = GROUP, help = MONITOR_HELP,
			description = "Live view of a room: participants, health, recent events, throughput")
	void monitor(@Option(longName = "code", description = "room code", required = true) String code,
			@Option(longName = "password", description = "room password") @Nullable String password,
			@Option(longName = "plain", description = "append frames instead of redrawing the screen",
					defaultValue = "false") boolean plain,
			@Option(longName = "count", description = "stop after this many events (0: until Ctrl+C)",
					defaultValue = "0") int count,
			@Option(longName = "hub", description = HUB_OPTION) @Nullable String hub, CommandContext context) {
		password = (password != null) ? password : "";
		oneShotOnly("monitor");
		hub = hubUrl(hub);
		new RoomMonitor(http(hub), code.strip(), password.isEmpty() ? null : password, context.outputWriter(), plain,
				this.properties.monitorRefresh())
			.run(count);
	}

	@Command(name = "discover", group = GROUP, help = DISCOVER_HELP,
			description = "List the hubs announced on the LAN (mDNS): name, URL, version")
	void discover(@Option(longName = "timeout",
			description = "seconds to listen (default gambiarra.mdns.browse-timeout)") @Nullable String timeout,
			@Option(longName = "json", description = "print JSON instead of a table", defaultValue = "false")
			boolean json, CommandContext context) {
		Duration listen = (timeout != null) ? seconds(timeout) : this.finder.defaultTimeout();
		List<DiscoveredHub> hubs = search(() -> this.finder.discover(listen));
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
			out.println(Http.JSON.writeValueAsString(Map.of("hubs", list)));
			if (hubs.isEmpty()) {
				throw noHub(listen);
			}
			return;
		}
		if (hubs.isEmpty()) {
			throw noHub(listen);
		}
		List<List<String>> rows = new ArrayList<>();
		for (DiscoveredHub hub : hubs) {
			rows.add(List.of(hub.name(), hub.url().toString(), hub.version()));
		}
		table(out, List.of("NAME", "URL", "VERSION"), rows);
	}

	@Command(name = "test-llm", group = GROUP, help = TEST_LLM_HELP,
			description = "Run the built-in deterministic OpenAI-compatible test LLM until Ctrl+C")
	void testLlm(@Option(longName = "port", description = "port (0: any free one)", defaultValue = "8001") int port,
			@Option(longName = "host", description = "address to bind", defaultValue = "127.0.0.1") String host,
			@Option(longName = "models", description = "comma-separated model names",
					defaultValue = "test-llm") String models,
			@Option(longName = "chunks", description = "chunks per streamed answer (0: one per word)",
					defaultValue = "0") int chunks,
			@Option(longName = "delay-ms", description = "pause before each streamed chunk",
					defaultValue = "0") int delayMs,
			@Option(longName = "script", description = "JSON file of assistant turns to replay")
			@Nullable String script,
			CommandContext context) {
		script = (script != null) ? script : "";
		oneShotOnly("test-llm");
		List<ScriptedTurn> turns = List.of();
		if (!script.isBlank()) {
			try {
				turns = TestLlmScript.load(Path.of(script));
			}
			catch (IOException ex) {
				throw CliException.failure("Cannot read script " + script + ": " + ex.getMessage());
			}
			catch (IllegalArgumentException ex) {
				throw CliException.usage("Invalid script " + script + ": " + ex.getMessage());
			}
		}
		TestLlmOptions options;
		try {
			options = TestLlmOptions.defaults()
				.withHost(host)
				.withPort(port)
				.withModels(Arrays.stream(models.split(",")).map(String::strip).filter((m) -> !m.isEmpty()).toList())
				.withChunks(chunks)
				.withDelay(Duration.ofMillis(delayMs))
				.withScript(turns);
		}
		catch (IllegalArgumentException ex) {
			throw CliException.usage("test-llm: " + ex.getMessage());
		}
		TestLlmServer server;
		try {
			server = TestLlmServer.start(options);
		}
		catch (RuntimeException ex) {
			throw CliException.failure("Cannot start the test LLM on " + host + ":" + port + ": " + rootMessage(ex));
		}
		CountDownLatch stopped = new CountDownLatch(1);
		Thread hook = new Thread(() -> {
			server.closeQuietly();
			stopped.countDown();
		}, "test-llm-stop");
		Runtime.getRuntime().addShutdownHook(hook);
		this.testLlm = server;
		PrintWriter out = context.outputWriter();
		out.println("Test LLM listening on " + server.baseUrl() + " (models: " + String.join(", ", options.models())
				+ (turns.isEmpty() ? "" : ", script of " + turns.size() + " turns") + "). Ctrl+C to stop.");
		out.println("Join it to a room: join --code CODE --endpoint " + server.baseUrl() + " --model "
				+ options.models().get(0));
		out.flush();
		try {
			server.onClose();
		}
		finally {
			this.testLlm = null;
			removeHook(hook);
		}
	}

	// --- helpers

	/** The running join session (for tests and the shutdown hook), or {@code null}. */
	@Nullable JoinSession session() {
		return this.session;
	}

	@Nullable TestLlmServer testLlm() {
		return this.testLlm;
	}

	/**
	 * The hub URL a command talks to: {@code --hub}, else {@code gambiarra.cli.hub}; {@code auto} (in either) is the
	 * first hub mDNS finds within {@code gambiarra.mdns.browse-timeout}, named on the notices stream.
	 */
	String hubUrl(@Nullable String hub) {
		String url = (hub == null || hub.isBlank()) ? this.properties.hub() : hub.strip();
		if (!url.equalsIgnoreCase(AUTO)) {
			return url;
		}
		Duration listen = this.finder.defaultTimeout();
		DiscoveredHub found = search(() -> this.finder.first(listen)).orElseThrow(() -> CliException
			.failure(noHubMessage(listen) + "; pass --hub URL instead of auto"));
		this.notices.accept("Using hub " + found.name() + " at " + found.url() + " (found by mDNS)");
		return found.url().toString();
	}

	/** Runs a LAN search, turning a network failure (no multicast, bad gambiarra.mdns.interface) into one line. */
	private static <T> T search(Supplier<T> search) {
		try {
			return search.get();
		}
		catch (CliException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw CliException.failure("LAN discovery (mDNS) failed: " + rootMessage(ex));
		}
	}

	private static CliException noHub(Duration listened) {
		return CliException.failure(noHubMessage(listened));
	}

	private static String noHubMessage(Duration listened) {
		return "No Gambiarra hub found on the network within " + secondsText(listened) + " s";
	}

	private static String secondsText(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? Long.toString(millis / 1000)
				: BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
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
		if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DISCOVERY_TIMEOUT) > 0) {
			throw CliException.usage("--timeout must be above 0 and at most " + MAX_DISCOVERY_TIMEOUT.toSeconds()
					+ " seconds");
		}
		return duration;
	}

	Http http(String hub) {
		String url = hub.isBlank() ? this.properties.hub() : hub;
		if (!url.startsWith("http://") && !url.startsWith("https://")) {
			throw CliException.usage("--hub must be an http(s) URL such as http://192.168.1.10:3000");
		}
		return new Http(url, this.properties.connectTimeout(), this.properties.requestTimeout());
	}

	static String endpointBase(String endpoint) {
		String base = Http.trimSlash(endpoint);
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
		Http endpoint = new Http(base, this.properties.connectTimeout(), this.properties.requestTimeout());
		String unreachable = null;
		List<String> models = new ArrayList<>();
		try {
			Http.Reply tags = endpoint.get("/api/tags", null);
			if (tags.ok()) {
				tags.body().path("models").forEach((m) -> models.add(m.path("name").asString(m.path("model").asString(""))));
			}
		}
		catch (CliException ex) {
			unreachable = ex.getMessage();
		}
		if (models.isEmpty() && unreachable == null) {
			Http.Reply list = endpoint.get("/v1/models", null);
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
			throw CliException.usage("Choose a model with --model; " + base + " serves: " + String.join(", ", available));
		}
		for (String model : available) {
			if (model.equals(wanted) || model.equals(wanted + ":latest")) {
				return model;
			}
		}
		throw CliException.failure("Model '" + wanted + "' not found at " + base + ". Available: "
				+ String.join(", ", available));
	}

	/** One clear line for a refused hub request. */
	static CliException hubFailure(Http.Reply reply, String action) {
		String message = reply.error();
		return switch (reply.status()) {
			case 401 -> CliException.failure("Cannot " + action + ": " + message + " (401; check --password)");
			default -> CliException.failure("Cannot " + action + ": " + message + " (" + reply.status() + ")");
		};
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

	private static void removeHook(Thread hook) {
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// already shutting down
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	private static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
		out.print(TextTable.render(header, rows));
	}

}
