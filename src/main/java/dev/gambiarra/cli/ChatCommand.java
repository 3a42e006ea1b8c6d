package dev.gambiarra.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

import dev.gambiarra.shell.CliException;

/**
 * {@code chat}: one prompt to a room, the answer streamed to the terminal as it arrives (or whole with
 * {@code --stream false}). The prompt is {@code --prompt TEXT}, or the words after the options
 * ({@code chat --code DEMO42 hello there}), or, when neither is given, standard input unless it is a terminal.
 */
@Component
class ChatCommand {

	private static final String HELP = "Usage: chat --code CODE [--prompt TEXT | TEXT...] [--model *|model:NAME|ID] "
			+ "[--system TEXT] [--password P] [--stream false] [--hub URL|auto] (no prompt given: read from stdin; "
			+ "'help chat' lists every option)";

	/** The most a prompt read from stdin may hold (the hub's default body limit). */
	static final int MAX_STDIN_PROMPT = 10 * 1024 * 1024;

	private final ClientSupport support;

	private final Stdin stdin;

	@Autowired
	ChatCommand(ClientSupport support) {
		this(support, Stdin.system());
	}

	ChatCommand(ClientSupport support, Stdin stdin) {
		this.support = support;
		this.stdin = stdin;
	}

	@Command(name = "chat", group = ClientSupport.GROUP, help = HELP,
			description = "Send a prompt to a room and stream the answer")
	void chat(@Option(longName = "code", description = "room code", required = true) String code,
			@Option(longName = "prompt",
					description = "the message to send (or give it as words after the options, or on stdin)")
			@Nullable String prompt,
			@Arguments List<String> words,
			@Option(longName = "model", description = "'*' (anyone), 'model:NAME' or a participant id",
					defaultValue = "*") String model,
			@Option(longName = "system", description = "system prompt") @Nullable String system,
			@Option(longName = "password", description = "room password") @Nullable String password,
			@Option(longName = "stream", description = "stream the answer as it arrives",
					defaultValue = "true") boolean stream,
			@Option(longName = "hub", description = ClientSupport.HUB_OPTION) @Nullable String hub,
			CommandContext context) {
		String text = prompt(prompt, words);
		system = (system != null) ? system : "";
		password = (password != null) ? password : "";
		Remote remote = this.support.hub(hub);
		List<Map<String, String>> messages = new ArrayList<>();
		if (!system.isBlank()) {
			messages.add(Map.of("role", "system", "content", system));
		}
		messages.add(Map.of("role", "user", "content", text));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("model", model);
		body.put("messages", messages);
		body.put("stream", stream);
		String path = "/rooms/" + code.strip() + "/v1/chat/completions";
		String bearer = password.isEmpty() ? null : password;
		String action = "chat in room " + code;
		PrintWriter out = context.outputWriter();
		if (!stream) {
			Reply reply = remote.post(path, body, bearer);
			if (!reply.ok()) {
				throw reply.failure(action);
			}
			out.println(reply.body().path("choices").path(0).path("message").path("content").asString(""));
			return;
		}
		Duration limit = this.support.properties().streamTimeout();
		Flux<ServerSentEvent<String>> events = within(remote.events(HttpMethod.POST, path, body, bearer, action),
				limit);
		try (Stream<ServerSentEvent<String>> answer = events.toStream()) {
			relay(answer, out);
		}
	}

	/** The prompt: {@code --prompt}, else the words, else stdin (not a terminal, not inside the hub). */
	String prompt(@Nullable String option, @Nullable List<String> words) {
		String joined = (words != null) ? String.join(" ", words).strip() : "";
		if (option != null && !joined.isEmpty()) {
			throw CliException.usage("Give the prompt once: --prompt TEXT or the words after the options, not both "
					+ "(quote a prompt with spaces: --prompt \"" + option + " " + joined + "\")");
		}
		if (option != null) {
			return option;
		}
		if (!joined.isEmpty()) {
			return joined;
		}
		if (this.support.insideHub() || this.stdin.isTerminal()) {
			throw CliException.usage("No prompt: give it as --prompt TEXT, as words after the options, or on stdin");
		}
		String piped = readStdin();
		if (piped.isBlank()) {
			throw CliException.usage("No prompt: stdin was empty; give it as --prompt TEXT or as words after the "
					+ "options");
		}
		return piped;
	}

	private String readStdin() {
		byte[] bytes;
		try {
			bytes = this.stdin.stream().readNBytes(MAX_STDIN_PROMPT + 1);
		}
		catch (IOException ex) {
			throw CliException.failure("Cannot read the prompt from stdin: " + ex.getMessage());
		}
		if (bytes.length > MAX_STDIN_PROMPT) {
			throw CliException.usage("The prompt on stdin is larger than " + (MAX_STDIN_PROMPT / (1024 * 1024))
					+ " MiB");
		}
		String text = new String(bytes, StandardCharsets.UTF_8);
		int end = text.length();
		while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
			end--;
		}
		return text.substring(0, end);
	}

	/** The whole answer within {@code limit}, from the request to its last event. */
	static <T> Flux<T> within(Flux<T> events, Duration limit) {
		return Flux.defer(() -> {
			long end = System.nanoTime() + limit.toNanos();
			return events.timeout(Mono.delay(limit),
					(event) -> Mono.delay(Duration.ofNanos(Math.max(0, end - System.nanoTime()))));
		})
			.onErrorMap(TimeoutException.class, (ex) -> CliException
				.failure("The answer took longer than " + ClientSupport.seconds(limit)
					+ " s (gambiarra.cli.stream-timeout)"));
	}

	/** Prints the content deltas of an OpenAI event stream as they arrive, until {@code [DONE]}. */
	static void relay(Stream<ServerSentEvent<String>> events, PrintWriter out) {
		boolean wroteSomething = false;
		Iterator<ServerSentEvent<String>> it = events.iterator();
		while (true) {
			boolean more;
			try {
				more = it.hasNext();
			}
			catch (RuntimeException ex) {
				if (wroteSomething) {
					out.println();
					out.flush();
				}
				throw (ex instanceof CliException cli) ? cli
						: CliException.failure("The answer was cut off: " + ClientSupport.rootMessage(ex));
			}
			if (!more) {
				break;
			}
			ServerSentEvent<String> event = it.next();
			String data = event.data();
			if (data == null) {
				continue;
			}
			if (data.strip().equals("[DONE]")) {
				if (wroteSomething) {
					out.println();
				}
				out.flush();
				return;
			}
			JsonNode chunk = Reply.parse(data);
			if ("error".equals(event.event()) || chunk.has("error")) {
				out.println();
				out.flush();
				throw CliException.failure("The answer failed midway: " + new Reply(500, chunk, data).error());
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

}
