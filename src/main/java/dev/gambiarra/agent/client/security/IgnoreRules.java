package dev.gambiarra.agent.client.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.jgit.ignore.FastIgnoreRule;

/**
 * Files hidden from the agent, written in {@code .gitignore} syntax and matched by JGit's gitignore rules
 * ({@link FastIgnoreRule}, the implementation JGit's own tree walks use): {@code #} comments, {@code !} negation, a
 * trailing {@code /} for folders only, a leading or inner {@code /} to anchor at the root, {@code *}, {@code ?},
 * {@code [...]} (ranges, {@code [!...]}, {@code [[:alpha:]]}), {@code **} and {@code \} escapes, trailing spaces. The
 * last matching rule wins; a path inside an ignored folder is ignored too (as in git, a negation cannot bring a file
 * back out of an excluded folder). A line JGit cannot read is skipped (JGit logs it); unlike git, leading spaces
 * are not part of a rule.
 * <p>
 * Matching ignores case (rules and paths are compared in lower case), so {@code .ENV} is as hidden as {@code .env}
 * on file systems that fold case. Default rules (secrets, keys, VCS internals, the agent's own backups) come first,
 * so a project file can re-include one with {@code !}.
 */
public final class IgnoreRules {

	/** Name of the per-workspace ignore file. */
	public static final String FILE_NAME = ".gambiarraignore";

	/** Defaults applied before the workspace's own file. */
	public static final List<String> DEFAULTS = List.of(".git/", ".hg/", ".svn/", ".gambiarra/", ".env", ".env.*",
			"*.env", ".envrc", "*.pem", "*.key", "*.p12", "*.pfx", "*.jks", "*.keystore", "*.kdbx", "id_rsa*",
			"id_dsa*", "id_ecdsa*", "id_ed25519*", ".ssh/", ".gnupg/", ".aws/", ".azure/", ".kube/", ".docker/config.json",
			".netrc", ".npmrc", ".pypirc", ".pgpass", "credentials.json", "*.secret");

	private final List<FastIgnoreRule> rules;

	private IgnoreRules(List<FastIgnoreRule> rules) {
		this.rules = List.copyOf(rules);
	}

	/** Rules from the given lines, with no defaults. */
	public static IgnoreRules parse(List<String> lines) {
		List<FastIgnoreRule> rules = new ArrayList<>();
		for (String line : lines) {
			// Leading spaces are dropped (git keeps them): an indented rule still hides what it names.
			String text = line.replace("\r", "").stripLeading();
			if (text.isEmpty() || text.startsWith("#")) {
				continue;
			}
			FastIgnoreRule rule = new FastIgnoreRule(text.toLowerCase(Locale.ROOT));
			if (!rule.isEmpty()) {
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
		String[] parts = path.toLowerCase(Locale.ROOT).split("/");
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

	/** The verdict of the last rule that matches {@code path} itself (its parents are checked by the caller). */
	private boolean matches(String path, boolean directory) {
		for (int i = this.rules.size() - 1; i >= 0; i--) {
			FastIgnoreRule rule = this.rules.get(i);
			if (rule.isMatch(path, directory, true)) {
				return rule.getResult();
			}
		}
		return false;
	}

}
