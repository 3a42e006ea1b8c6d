package dev.gambiarra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package shape docs/architecture.md describes, read from the imports of {@code src/main/java}: no two packages
 * depend on each other, even through others, and the shared ones stay at the bottom.
 */
class PackageDependenciesTest {

	private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

	private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.gambiarra(?:\\.[a-z]\\w*)*)\\.[A-Z]",
			Pattern.MULTILINE);

	private static final Map<String, Set<String>> uses = new TreeMap<>();

	@BeforeAll
	static void readImports() throws IOException {
		Path sources = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("src/main/java");
		try (Stream<Path> files = Files.walk(sources)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
				String text = Files.readString(file, StandardCharsets.UTF_8);
				Matcher pkg = PACKAGE.matcher(text);
				if (!pkg.find()) {
					continue;
				}
				Set<String> used = uses.computeIfAbsent(pkg.group(1), (p) -> new TreeSet<>());
				Matcher imports = IMPORT.matcher(text);
				while (imports.find()) {
					if (!imports.group(1).equals(pkg.group(1))) {
						used.add(imports.group(1));
					}
				}
			}
		}
		assertThat(uses).containsKeys("dev.gambiarra.cli", "dev.gambiarra.console", "dev.gambiarra.proxy");
	}

	@Test
	void noPackagesDependOnEachOther() {
		List<String> cycles = new ArrayList<>();
		for (Set<String> component : stronglyConnected()) {
			if (component.size() > 1) {
				List<String> edges = new ArrayList<>();
				for (String from : component) {
					for (String to : uses.getOrDefault(from, Set.of())) {
						if (component.contains(to)) {
							edges.add(from + " -> " + to);
						}
					}
				}
				cycles.add(String.join(", ", edges));
			}
		}
		assertThat(cycles).as("package cycles").isEmpty();
	}

	@Test
	void sharedPackagesStayAtTheBottom() {
		assertThat(uses.get("dev.gambiarra.shell")).as("shell uses nothing of the hub").isEmpty();
		assertThat(uses.get("dev.gambiarra.agent.client.approval")).as("approval uses neither client nor tools")
			.doesNotContain("dev.gambiarra.agent.client", "dev.gambiarra.agent.client.tools");
		assertThat(uses.get("dev.gambiarra.proxy")).as("the proxy knows nothing of the console or the CLI")
			.doesNotContain("dev.gambiarra.console", "dev.gambiarra.cli");
		assertThat(uses.get("dev.gambiarra.console")).as("the console does not reach into the CLI")
			.doesNotContain("dev.gambiarra.cli");
	}

	/** Tarjan's strongly connected components of the package graph. */
	private static List<Set<String>> stronglyConnected() {
		Map<String, Integer> index = new HashMap<>();
		Map<String, Integer> low = new HashMap<>();
		Deque<String> stack = new ArrayDeque<>();
		Set<String> onStack = new TreeSet<>();
		List<Set<String>> components = new ArrayList<>();
		for (String start : uses.keySet()) {
			if (!index.containsKey(start)) {
				visit(start, index, low, stack, onStack, components);
			}
		}
		return components;
	}

	private static void visit(String node, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
			Set<String> onStack, List<Set<String>> components) {
		index.put(node, index.size());
		low.put(node, index.get(node));
		stack.push(node);
		onStack.add(node);
		for (String next : uses.getOrDefault(node, Set.of())) {
			if (!index.containsKey(next)) {
				visit(next, index, low, stack, onStack, components);
				low.put(node, Math.min(low.get(node), low.get(next)));
			}
			else if (onStack.contains(next)) {
				low.put(node, Math.min(low.get(node), index.get(next)));
			}
		}
		if (low.get(node).equals(index.get(node))) {
			Set<String> component = new TreeSet<>();
			String member;
			do {
				member = stack.pop();
				onStack.remove(member);
				component.add(member);
			}
			while (!member.equals(node));
			components.add(component);
		}
	}

}
