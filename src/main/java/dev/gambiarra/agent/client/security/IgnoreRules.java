package dev.gambiarra.agent.client.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Files hidden from the agent, written in {@code .gitignore} syntax: {@code #} comments, {@code !} negation, a
 * trailing {@code /} for folders only, a leading or inner {@code /} to anchor at the root, {@code *}, {@code ?},
 * {@code [...]}, {@code **} and {@code \} escapes. The last matching rule wins; a path inside an ignored folder is
 * ignored too (as in git, a negation cannot bring a file back out of an excluded folder).
 * <p>
 * Matching ignores case, so {@code .ENV} is as hidden as {@code .env} on file systems that fold case. Default rules
 * (secrets, keys, VCS internals, the agent's own backups) come first, so a project file can re-include one with
 * {@code !}.
 */
public final class IgnoreRules {

	/** Name of the per-workspace ignore file. */
	public static final String FILE_NAME = ".gambiarraignore";

	/** Defaults applied before the workspace's own file. */
	public static final List<String> DEFAULTS = List.of(".git/", ".hg/", ".svn/", ".gambiarra/", ".env", ".env.*",
			"*.env", ".envrc", "*.pem", "*.key", "*.p12", "*.pfx", "*.jks", "*.keystore", "*.kdbx", "id_rsa*",
			"id_dsa*", "id_ecdsa*", "id_ed25519*", ".ssh/", ".gnupg/", ".aws/", ".azure/", ".kube/", ".docker/config.json",
			".netrc", ".npmrc", ".pypirc", ".pgpass", "credentials.json", "*.secret");

	private final List<Rule> rules;

	private IgnoreRules(List<Rule> rules) {
		this.rules = List.copyOf(rules);
	}

	/** Rules from the given lines, with no defaults. */
	public static IgnoreRules parse(List<String> lines) {
		List<Rule> rules = new ArrayList<>();
		for (String line : lines) {
			Rule rule = Rule.parse(line);
			if (rule != null) {
				rules.add(rule);
			}
		}
		return new IgnoreRules(rules);
	}

	/**
	 * The defaults followed by the workspace's {@code .gambiarraignore} (if present) and any extra lines.
	 * @param root the workspace root
	 * @param extra further patterns from configuration
	 * @return the combined rules
	 */
	public static IgnoreRules load(Path root, List<String> extra) {
		List<String> lines = new ArrayList<>(DEFAULTS);
		lines.addAll(extra);
		Path file = root.resolve(FILE_NAME);
		if (Files.isRegularFile(file)) {
			try {
				lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read " + file, ex);
			}
		}
		return parse(lines);
	}

	/**
	 * Whether a path is hidden.
	 * @param relative path relative to the workspace root, {@code /}-separated
	 * @param directory whether the path is a folder
	 * @return true when the path or one of its parent folders is ignored
	 */
	public boolean isIgnored(String relative, boolean directory) {
		String path = relative.replace('\\', '/');
		while (path.startsWith("./")) {
			path = path.substring(2);
		}
		if (path.isEmpty() || path.equals(".")) {
			return false;
		}
		String[] parts = path.split("/");
		StringBuilder prefix = new StringBuilder();
		for (int i = 0; i < parts.length; i++) {
			if (i > 0) {
				prefix.append('/');
			}
			prefix.append(parts[i]);
			boolean isDir = (i < parts.length - 1) || directory;
			if (matches(prefix.toString(), isDir)) {
				return true;
			}
		}
		return false;
	}

	private boolean matches(String path, boolean directory) {
		boolean ignored = false;
		String lower = path.toLowerCase(Locale.ROOT);
		String name = lower.substring(lower.lastIndexOf('/') + 1);
		for (Rule rule : this.rules) {
			if (rule.directoryOnly && !directory) {
				continue;
			}
			boolean hit = rule.anchored ? rule.pattern.matcher(lower).matches() : rule.pattern.matcher(name).matches()
					|| rule.pattern.matcher(lower).matches();
			if (hit) {
				ignored = !rule.negated;
			}
		}
		return ignored;
	}

	private record Rule(Pattern pattern, boolean negated, boolean directoryOnly, boolean anchored) {

		static Rule parse(String raw) {
			String line = stripTrailingSpaces(raw);
			if (line.isEmpty() || line.startsWith("#")) {
				return null;
			}
			boolean negated = false;
			if (line.startsWith("!")) {
				negated = true;
				line = line.substring(1);
			}
			else if (line.startsWith("\\!") || line.startsWith("\\#")) {
				line = line.substring(1);
			}
			boolean directoryOnly = line.endsWith("/");
			if (directoryOnly) {
				line = line.substring(0, line.length() - 1);
			}
			boolean anchored = line.contains("/");
			if (line.startsWith("/")) {
				line = line.substring(1);
			}
			if (line.isEmpty()) {
				return null;
			}
			String regex = toRegex(line.toLowerCase(Locale.ROOT));
			return new Rule(Pattern.compile(regex), negated, directoryOnly, anchored);
		}

		private static String stripTrailingSpaces(String line) {
			int end = line.length();
			while (end > 0 && line.charAt(end - 1) == ' ' && !(end > 1 && line.charAt(end - 2) == '\\')) {
				end--;
			}
			return line.substring(0, end).replace("\\ ", " ").stripLeading().replace("\r", "");
		}

		private static String toRegex(String glob) {
			StringBuilder out = new StringBuilder();
			int n = glob.length();
			for (int i = 0; i < n; i++) {
				char c = glob.charAt(i);
				if (c == '*') {
					boolean doubleStar = i + 1 < n && glob.charAt(i + 1) == '*';
					if (doubleStar) {
						boolean atStart = i == 0 || glob.charAt(i - 1) == '/';
						boolean slashAfter = i + 2 < n && glob.charAt(i + 2) == '/';
						if (atStart && slashAfter) {
							out.append("(?:.*/)?");
							i += 2;
						}
						else {
							out.append(".*");
							i += 1;
						}
					}
					else {
						out.append("[^/]*");
					}
				}
				else if (c == '?') {
					out.append("[^/]");
				}
				else if (c == '[') {
					int close = glob.indexOf(']', i + 2);
					if (close < 0) {
						out.append("\\[");
					}
					else {
						String body = glob.substring(i + 1, close);
						if (body.startsWith("!")) {
							body = "^" + body.substring(1);
						}
						out.append('[').append(body.replace("\\", "\\\\")).append(']');
						i = close;
					}
				}
				else if (c == '\\' && i + 1 < n) {
					out.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
				}
				else {
					out.append(Pattern.quote(String.valueOf(c)));
				}
			}
			return out.toString();
		}

	}

}
