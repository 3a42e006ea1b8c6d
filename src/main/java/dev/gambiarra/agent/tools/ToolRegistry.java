package dev.gambiarra.agent.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The tools the model may call: the built-in definitions from {@code classpath:agent/tools/*.json}, then the
 * operator's plugin folder. A plugin may add a tool or replace a built-in one with a <em>newer</em> version; an
 * older or equal version, an unknown definition format or a broken file is skipped with a warning. Loaded once at
 * startup (file IO, never on an event loop); immutable afterwards.
 */
public final class ToolRegistry {

	private static final Logger logger = LoggerFactory.getLogger(ToolRegistry.class);

	/** Tools the hub handles itself instead of sending them to the client. */
	public static final List<String> HUB_TOOLS = List.of("attempt_completion", "ask_followup_question",
			"update_todo_list");

	private final Map<String, ToolDefinition> tools;

	private final List<String> problems;

	private final int longestName;

	ToolRegistry(Collection<ToolDefinition> definitions, List<String> problems) {
		Map<String, ToolDefinition> byName = new LinkedHashMap<>();
		definitions.forEach((definition) -> byName.put(definition.name(), definition));
		this.tools = Collections.unmodifiableMap(byName);
		this.problems = List.copyOf(problems);
		this.longestName = byName.keySet().stream().mapToInt(String::length).max().orElse(0);
	}

	/** Built-ins plus the plugin folder (when not {@code null}). Fails when a built-in definition is broken. */
	public static ToolRegistry load(JsonMapper json, @Nullable Path pluginDir) {
		Map<String, ToolDefinition> tools = new TreeMap<>();
		List<String> problems = new ArrayList<>();
		try {
			Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:agent/tools/*.json");
			for (Resource resource : resources) {
				try (InputStream input = resource.getInputStream()) {
					ToolDefinition definition = ToolDefinitionReader.read(json.readTree(input),
							"classpath:agent/tools/" + resource.getFilename());
					tools.merge(definition.name(), definition, (a, b) -> a.newerThan(b) ? a : b);
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read the built-in agent tool definitions", ex);
		}
		for (String hubTool : HUB_TOOLS) {
			if (!tools.containsKey(hubTool)) {
				throw new IllegalStateException("Built-in agent tool definition missing: " + hubTool);
			}
		}
		if (pluginDir != null) {
			loadPlugins(json, pluginDir, tools, problems);
		}
		problems.forEach((problem) -> logger.warn("Agent tool plugin skipped: {}", problem));
		logger.info("Agent tools: {}", tools.values().stream().map((t) -> t.name() + "@" + t.version()).toList());
		return new ToolRegistry(tools.values(), problems);
	}

	private static void loadPlugins(JsonMapper json, Path dir, Map<String, ToolDefinition> tools,
			List<String> problems) {
		if (!Files.isDirectory(dir)) {
			problems.add(dir + ": plugin folder does not exist or is not a directory");
			return;
		}
		List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
			stream.forEach(files::add);
		}
		catch (IOException ex) {
			problems.add(dir + ": cannot list (" + ex.getMessage() + ")");
			return;
		}
		Collections.sort(files);
		for (Path file : files) {
			ToolDefinition definition;
			try {
				definition = ToolDefinitionReader.read(json.readTree(file.toFile()), file.toString());
			}
			catch (IllegalArgumentException | JacksonException ex) {
				problems.add((ex instanceof JacksonException) ? file + ": invalid JSON" : ex.getMessage());
				continue;
			}
			ToolDefinition existing = tools.get(definition.name());
			if (existing != null && !definition.newerThan(existing)) {
				problems.add(file + ": " + definition.name() + "@" + definition.version() + " is not newer than "
						+ existing.name() + "@" + existing.version() + " from " + existing.source());
				continue;
			}
			if (existing != null && definition.majorVersion() != existing.majorVersion()) {
				logger.warn("Agent tool {} replaced by major version {} from {}: clients must support it",
						definition.name(), definition.version(), file);
			}
			tools.put(definition.name(), definition);
		}
	}

	public @Nullable ToolDefinition find(String name) {
		return this.tools.get(name);
	}

	public Collection<ToolDefinition> all() {
		return this.tools.values();
	}

	/** The tools a session in this mode is offered: everything, or only non-mutating tools in ask mode. */
	public List<ToolDefinition> offered(boolean readOnly) {
		return this.tools.values().stream().filter((tool) -> !readOnly || !tool.mutating()).toList();
	}

	/** Plugin files that were skipped, with the reason. */
	public List<String> problems() {
		return this.problems;
	}

	int longestName() {
		return this.longestName;
	}

	boolean isTool(String name) {
		return this.tools.containsKey(name);
	}

	/** Whether some tool's name starts with {@code prefix} (to hold back a half-received opening tag). */
	boolean isToolPrefix(String prefix) {
		for (String name : this.tools.keySet()) {
			if (name.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

}
