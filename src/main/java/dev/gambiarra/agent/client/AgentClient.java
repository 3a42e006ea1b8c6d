package dev.gambiarra.agent.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import dev.gambiarra.agent.client.approval.AgentConsole;
import dev.gambiarra.agent.client.tools.ToolBox;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

/**
 * Connects to a hub's agent endpoint over WebSocket, sends the task and runs what the hub asks for in the local
 * workspace until the task ends. Frames from the hub are handled one at a time on a dedicated worker thread (tools
 * block: files, processes, the approval prompt), never on the Netty event loop. {@link #run()} blocks the calling
 * (CLI) thread until the session ends. A connection that drops before the run ends is resumed
 * ({@code session.resume} with the last {@code seq} seen); the last answer to the hub is sent again, since it may
 * have been lost with the old connection.
 */
public final class AgentClient {

	private static final Logger logger = LoggerFactory.getLogger(AgentClient.class);

	/** The client's name and version sent in {@code session.start}. */
	public static final String CLIENT = "gambiarra-agent-client/0.1.0";

	/**
	 * What to connect to and what to ask.
	 *
	 * @param hub the hub's base URL ({@code http://host:port}) or the full agent URL ({@code ws://host:port/agent})
	 * @param token the hub's agent token, when it requires one
	 * @param mode {@code code} (all tools) or {@code ask} (read-only)
	 * @param provider the {@code provider} object of {@code session.start}
	 * @param fallbacks further providers tried in order
	 * @param task the first task; null asks for it on the console
	 * @param interactive whether to ask for another task after each one
	 * @param connectTimeout how long to wait for the connection
	 * @param maxResumes how many times a dropped connection is resumed ({@code session.resume}) before giving up
	 * @param resumeDelay pause before the first resume, multiplied by the attempt number after that
	 */
	public record Options(URI hub, @Nullable String token, String mode, JsonNode provider, List<JsonNode> fallbacks,
			@Nullable String task, boolean interactive, Duration connectTimeout, int maxResumes, Duration resumeDelay) {
	}

	/**
	 * How the run ended.
	 *
	 * @param completed whether the (last) task completed
	 * @param toolCalls tool requests handled
	 * @param message a one-line explanation when it did not complete
	 */
	public record Result(boolean completed, int toolCalls, String message) {
	}

	private final Options options;

	private final ToolBox tools;

	private final AgentConsole console;

	private final JsonMapper json;

	public AgentClient(Options options, ToolBox tools, AgentConsole console, JsonMapper json) {
		this.options = options;
		this.tools = tools;
		this.console = console;
		this.json = json;
	}

	/** The WebSocket URL of the agent endpoint for a hub address. */
	public static URI agentUri(URI hub) {
		String scheme = (hub.getScheme() == null) ? "http" : hub.getScheme().toLowerCase(Locale.ROOT);
		String wsScheme = switch (scheme) {
			case "https", "wss" -> "wss";
			case "http", "ws" -> "ws";
			default -> throw new IllegalArgumentException("Hub URL must be http(s) or ws(s): " + hub);
		};
		String path = (hub.getRawPath() == null || hub.getRawPath().isEmpty() || hub.getRawPath().equals("/"))
				? "/agent" : hub.getRawPath();
		String query = (hub.getRawQuery() != null) ? "?" + hub.getRawQuery() : "";
		int port = hub.getPort();
		return URI.create(wsScheme + "://" + hub.getHost() + (port >= 0 ? ":" + port : "") + path + query);
	}

	/**
	 * Runs the session to its end. Blocks the calling thread; do not call it from an event loop.
	 * @return how it ended
	 */
	public Result run() {
		ObjectNode start = ClientProtocol.sessionStart(this.json, this.options.mode(), this.options.provider(),
				this.options.fallbacks(), this.tools.workspaceRoot().getFileName() == null ? "workspace"
						: this.tools.workspaceRoot().getFileName().toString(),
				CLIENT);
		ClientProtocol protocol = new ClientProtocol(this.json, this.tools, this.console, start, this.options.task(),
				this.options.interactive());
		URI uri = agentUri(this.options.hub());
		HttpHeaders headers = new HttpHeaders();
		if (this.options.token() != null && !this.options.token().isBlank()) {
			headers.setBearerAuth(this.options.token());
		}
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.options.connectTimeout().toMillis());
		ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient(http);
		// A plain thread, not a Reactor one: tools block (files, processes, the approval prompt) by design.
		ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "agent-client-tools");
			thread.setDaemon(true);
			return thread;
		});
		Scheduler worker = Schedulers.fromExecutorService(executor, "agent-client-tools");
		@Nullable Throwable error;
		try {
			String opening = protocol.opening();
			int resumes = 0;
			while (true) {
				error = connect(client, uri, headers, protocol, opening, worker);
				String resume = protocol.resume();
				if (protocol.finished() || resume == null || resumes >= this.options.maxResumes()) {
					break;
				}
				resumes++;
				this.console.println("[client] connection lost; resuming the session (attempt " + resumes + " of "
						+ this.options.maxResumes() + ")");
				Mono.delay(this.options.resumeDelay().multipliedBy(resumes)).block();
				opening = resume;
			}
		}
		finally {
			worker.dispose();
			executor.shutdownNow();
		}
		if (error != null && !protocol.finished()) {
			logger.debug("Agent connection failed", error);
			String message = "Cannot talk to the hub at " + uri + ": " + describe(error);
			this.console.println(message);
			return new Result(false, protocol.toolCalls(), message);
		}
		return switch (protocol.outcome()) {
			case COMPLETED -> new Result(true, protocol.toolCalls(), "");
			case FAILED -> new Result(false, protocol.toolCalls(), "The task did not complete");
			case RUNNING -> {
				String message = "The hub closed the connection before the task ended";
				this.console.println(message);
				yield new Result(false, protocol.toolCalls(), message);
			}
		};
	}

	/** One connection: sends the opening frame, then answers the hub until the run ends or the socket closes. */
	private static @Nullable Throwable connect(ReactorNettyWebSocketClient client, URI uri, HttpHeaders headers,
			ClientProtocol protocol, String opening, Scheduler worker) {
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
		outbound.tryEmitNext(opening);
		client.execute(uri, headers, (session) -> {
			Mono<Void> send = session.send(outbound.asFlux().map(session::textMessage));
			Mono<Void> receive = session.receive()
				.map(WebSocketMessage::getPayloadAsText)
				.publishOn(worker)
				.doOnNext((frame) -> {
					for (String reply : protocol.handle(frame)) {
						outbound.tryEmitNext(reply);
					}
					if (protocol.finished()) {
						outbound.tryEmitComplete();
					}
				})
				.takeUntil((frame) -> protocol.finished())
				.doFinally((signal) -> outbound.tryEmitComplete())
				.then();
			return Mono.when(send, receive).then(Mono.defer(session::close));
		}).onErrorResume((ex) -> {
			failure.set(ex);
			return Mono.empty();
		}).block();
		return failure.get();
	}

	/** The deepest cause with a message, skipping the resolver's internal query error. */
	private static String describe(Throwable error) {
		Throwable pick = error;
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && !cause.getMessage().isBlank()
					&& !cause.getClass().getName().startsWith("io.netty.resolver")) {
				pick = cause;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		String message = pick.getMessage();
		return (message == null || message.isBlank()) ? pick.getClass().getSimpleName() : message;
	}

}
