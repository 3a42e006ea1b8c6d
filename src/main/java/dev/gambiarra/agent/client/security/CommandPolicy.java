package dev.gambiarra.agent.client.security;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a shell command may run. Checks, in this order of severity:
 * <ol>
 * <li><b>denied</b>: a program on the deny-list, a program not on the allow-list (when the allow-list is not
 * {@code *}), a program name that is not literal ({@code $X}, {@code $(...)}), a line the lexer cannot read, and
 * anything that writes or changes directory outside the workspace (redirections, {@code cd}, file-changing programs
 * such as {@code rm}, {@code mv}, {@code cp}, {@code chmod}, {@code tee} with an outside argument);</li>
 * <li><b>dangerous</b> (critical risk): recursive deletes of a root ({@code /}, {@code ~}, {@code .}, {@code *},
 * {@code ..}, top-level folders), download-and-run ({@code curl … | sh}, {@code sh <(wget …)}), fork bombs, writes to
 * block devices and disk tools ({@code dd of=/dev/sda}, {@code mkfs}), privilege escalation ({@code sudo}, {@code su},
 * setuid {@code chmod}, {@code setcap}), reverse shells ({@code /dev/tcp}, {@code nc -e}), power and mass-kill
 * ({@code shutdown}, {@code kill -9 -1}), persistence ({@code crontab});</li>
 * <li><b>allowed</b>: everything else, which still goes through the approval prompt at high risk.</li>
 * </ol>
 * Wrappers ({@code env}, {@code nohup}, {@code timeout}, {@code xargs}, {@code nice}, {@code time}, {@code exec},
 * {@code command}) are looked through, and {@code sh -c '…'}, {@code eval} and {@code find -exec} are checked as the
 * commands they run. Program names are compared in lower case, so {@code RM} on a case-folding file system is still
 * {@code rm}. This is a guard rail, not a sandbox: an allowed interpreter can still do anything, which is why
 * commands are approved by the user.
 */
public final class CommandPolicy {

	/** The verdict's kind. */
	public enum Outcome {

		/** May run after approval. */
		ALLOWED,
		/** Critical: refused unless dangerous commands are enabled, and then only with an explicit approval. */
		DANGEROUS,
		/** Never runs. */
		DENIED

	}

	/**
	 * The decision about one command line.
	 * @param outcome allowed, dangerous or denied
	 * @param reason why (empty when allowed); safe to show to the model
	 * @param critical whether a dangerous pattern was found (also when a deny rule refused the line anyway)
	 */
	public record Verdict(Outcome outcome, String reason, boolean critical) {

		static Verdict allowed() {
			return new Verdict(Outcome.ALLOWED, "", false);
		}

	}

	/** Programs allowed when configuration does not say otherwise: common build, test and inspection tools. */
	public static final List<String> DEFAULT_ALLOW = List.of("ls", "cat", "head", "tail", "wc", "echo", "printf", "pwd",
			"grep", "egrep", "fgrep", "rg", "find", "sort", "uniq", "diff", "cmp", "tree", "file", "stat", "du", "which",
			"true", "false", "test", "[", "date", "basename", "dirname", "realpath", "mkdir", "touch", "cp", "mv", "rm",
			"rmdir", "chmod", "sed", "awk", "tr", "cut", "tee", "sleep", "cd", "export", "set", "git", "mvn", "mvnw",
			"gradle", "gradlew", "java", "javac", "jar", "npm", "npx", "node", "yarn", "pnpm", "tsc", "deno", "bun",
			"python", "python3", "pip", "pip3", "pytest", "uv", "poetry", "go", "gofmt", "cargo", "rustc", "make",
			"cmake", "gcc", "g++", "cc", "clang", "dotnet", "ruby", "bundle", "rake", "php", "composer", "sh", "bash");

	/** Programs always refused, even with an open allow-list: remote access and network tools. */
	public static final List<String> DEFAULT_DENY = List.of("ssh", "scp", "sftp", "telnet", "ftp", "nc", "ncat",
			"netcat", "socat", "nmap", "rsh", "rlogin");

	private static final Set<String> WRAPPERS = Set.of("env", "nohup", "nice", "ionice", "time", "timeout", "xargs",
			"exec", "command", "builtin", "stdbuf", "unbuffer");

	private static final Set<String> SHELLS = Set.of("sh", "bash", "zsh", "dash", "ksh", "fish", "csh", "tcsh");

	private static final Pattern INTERPRETER = Pattern
		.compile("(sh|bash|zsh|dash|ksh|fish|csh|tcsh|python[0-9.]*|perl|ruby|node|php|lua|source|\\.)");

	private static final Set<String> DOWNLOADERS = Set.of("curl", "wget", "fetch", "aria2c", "http", "lwp-download");

	private static final Set<String> FILE_CHANGERS = Set.of("rm", "rmdir", "unlink", "mv", "cp", "ln", "chmod", "chown",
			"chgrp", "touch", "mkdir", "tee", "truncate", "install", "rsync", "shred", "dd", "sed", "patch", "tar",
			"unzip");

	private static final Set<String> ESCALATION = Set.of("sudo", "su", "doas", "pkexec", "runuser", "setcap",
			"chroot");

	private static final Set<String> POWER = Set.of("shutdown", "reboot", "halt", "poweroff", "killall5", "telinit");

	private static final Set<String> DISK_TOOLS = Set.of("fdisk", "sfdisk", "parted", "wipefs", "mkswap", "losetup",
			"cryptsetup");

	private static final Pattern FORK_BOMB = Pattern.compile("([\\w:.]+)\\s*\\(\\s*\\)\\s*\\{[^}]*\\b?\\1\\s*\\|\\s*\\1");

	private static final Pattern DEVICE = Pattern
		.compile("/dev/(sd|hd|vd|xvd|nvme|mmcblk|disk|rdisk|mapper/|md|dm-|loop|mem|kmem|port|sr|fd0).*");

	private static final Set<String> HARMLESS_DEVICES = Set.of("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty",
			"/dev/zero", "/dev/random", "/dev/urandom");

	private static final Set<String> ROOT_TARGETS = Set.of("/", "/*", "~", "~/", "~/*", "$home", "${home}", "$home/",
			"$home/*", ".", "./", "./*", "*", ".*", "..", "../", "../*", "/.", "//");

	private static final int MAX_DEPTH = 4;

	private final Set<String> allow;

	private final boolean allowAny;

	private final Set<String> deny;

	private final Workspace workspace;

	private final IgnoreRules ignore;

	/**
	 * @param workspace where commands run (arguments are checked against it)
	 * @param ignore hidden files: a command that names one is denied
	 * @param allow programs that may run; {@code *} in the list allows any program that is not denied
	 * @param deny programs that never run
	 */
	public CommandPolicy(Workspace workspace, IgnoreRules ignore, List<String> allow, List<String> deny) {
		this.workspace = workspace;
		this.ignore = ignore;
		this.allowAny = allow.contains("*");
		this.allow = allow.stream().map(CommandPolicy::programName).collect(Collectors.toUnmodifiableSet());
		this.deny = deny.stream().map(CommandPolicy::programName).collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Judges a command line.
	 * @param command the line the model wants to run
	 * @return the verdict; the worst finding wins
	 */
	public Verdict check(String command) {
		Findings findings = new Findings();
		if (command.isBlank()) {
			findings.deny("the command is empty");
		}
		else {
			inspect(command, findings, 0);
		}
		return findings.verdict();
	}

	private void inspect(String line, Findings findings, int depth) {
		if (depth > MAX_DEPTH) {
			findings.deny("commands are nested too deeply to check");
			return;
		}
		String lower = line.toLowerCase(Locale.ROOT);
		if (FORK_BOMB.matcher(line).find()) {
			findings.danger("fork bomb");
		}
		if (lower.contains("/dev/tcp/") || lower.contains("/dev/udp/")) {
			findings.danger("network redirection through /dev/tcp or /dev/udp (reverse shell)");
		}
		ShellWords.Parsed parsed;
		try {
			parsed = ShellWords.parse(line);
		}
		catch (ShellWords.ParseException ex) {
			findings.deny("cannot parse the command (" + ex.getMessage() + ")");
			return;
		}
		for (String inner : parsed.substitutions()) {
			inspectSubstitution(inner, findings);
			inspect(inner, findings, depth + 1);
		}
		for (ShellWords.Pipeline pipeline : parsed.pipelines()) {
			boolean downloaded = false;
			for (ShellWords.SimpleCommand simple : pipeline.commands()) {
				String program = inspectSimple(simple, findings, depth);
				if (program != null && downloaded && INTERPRETER.matcher(program).matches()) {
					findings.danger("downloads a script and pipes it into " + program);
				}
				if (program != null && DOWNLOADERS.contains(program)) {
					downloaded = true;
				}
				if (program != null && program.equals("base64") && simple.words().stream()
					.anyMatch(w -> w.equals("-d") || w.equals("--decode") || w.equals("-D"))) {
					downloaded = true;
				}
			}
		}
	}

	private void inspectSubstitution(String inner, Findings findings) {
		String first = inner.strip().split("\\s+", 2)[0];
		if (DOWNLOADERS.contains(programName(first))) {
			findings.danger("runs the output of a download (" + programName(first) + " in a substitution)");
		}
	}

	/** Checks one simple command; returns the effective program name (after wrappers), or null. */
	private @Nullable String inspectSimple(ShellWords.SimpleCommand simple, Findings findings, int depth) {
		for (String target : simple.writes()) {
			checkWriteTarget(target, findings);
		}
		List<String> words = new ArrayList<>(simple.words());
		while (!words.isEmpty() && isAssignment(words.get(0))) {
			words.remove(0);
		}
		if (words.isEmpty()) {
			return null;
		}
		String raw = words.get(0);
		if (raw.contains("$")) {
			findings.deny("the program name must be written out, not taken from a variable or substitution");
			return null;
		}
		String program = programName(raw);
		checkProgramLists(program, findings);
		List<String> args = words.subList(1, words.size());
		if (WRAPPERS.contains(program)) {
			List<String> rest = unwrap(program, args);
			if (rest.isEmpty()) {
				return program;
			}
			return inspectSimple(new ShellWords.SimpleCommand(rest, List.of()), findings, depth);
		}
		if (SHELLS.contains(program) || program.equals("eval")) {
			String script = program.equals("eval") ? String.join(" ", args) : dashC(args);
			if (script != null) {
				inspect(script, findings, depth + 1);
			}
			return program;
		}
		checkDangerous(program, args, findings);
		checkOutside(program, args, findings);
		checkHidden(args, findings);
		if (program.equals("find")) {
			checkFind(args, findings, depth);
		}
		return program;
	}

	private void checkProgramLists(String program, Findings findings) {
		if (ESCALATION.contains(program)) {
			findings.danger("privilege escalation (" + program + ")");
			return;
		}
		if (this.deny.contains(program)) {
			findings.deny("'" + program + "' is on the deny-list");
		}
		else if (!this.allowAny && !this.allow.contains(program) && !WRAPPERS.contains(program)
				&& !program.equals("eval")) {
			findings.deny("'" + program + "' is not on the allow-list");
		}
	}

	private static @Nullable String dashC(List<String> args) {
		for (int i = 0; i < args.size(); i++) {
			String a = args.get(i);
			if (a.startsWith("-") && !a.startsWith("--") && a.contains("c") && i + 1 < args.size()) {
				return args.get(i + 1);
			}
		}
		return null;
	}

	private static List<String> unwrap(String wrapper, List<String> args) {
		int i = 0;
		while (i < args.size()) {
			String a = args.get(i);
			if (a.startsWith("-")) {
				i++;
				boolean takesValue = (wrapper.equals("nice") && a.equals("-n"))
						|| (wrapper.equals("timeout") && (a.equals("-s") || a.equals("-k")))
						|| (wrapper.equals("xargs") && (a.equals("-n") || a.equals("-I") || a.equals("-P")
								|| a.equals("-L") || a.equals("-d")))
						|| (wrapper.equals("env") && (a.equals("-u") || a.equals("-C")))
						|| (wrapper.equals("ionice") && (a.equals("-c") || a.equals("-n")))
						|| (wrapper.equals("stdbuf") && a.length() == 2);
				if (takesValue) {
					i++;
				}
			}
			else if (isAssignment(a)) {
				i++;
			}
			else if (wrapper.equals("timeout") && Character.isDigit(a.charAt(0))) {
				i++;
			}
			else {
				break;
			}
		}
		return new ArrayList<>(args.subList(i, args.size()));
	}

	private void checkDangerous(String program, List<String> args, Findings findings) {
		if (POWER.contains(program) || (program.equals("init") && args.stream().anyMatch(a -> a.matches("[06]")))
				|| (program.equals("systemctl") && args.stream()
					.anyMatch(a -> a.matches("poweroff|reboot|halt|kexec|suspend|hibernate")))) {
			findings.danger("shuts down or restarts the machine (" + program + ")");
		}
		if (DISK_TOOLS.contains(program) || program.startsWith("mkfs")) {
			findings.danger("formats or partitions disks (" + program + ")");
		}
		if (program.equals("crontab") || program.equals("at")) {
			findings.danger("schedules commands to run later (" + program + ")");
		}
		switch (program) {
			case "rm" -> checkRecursiveDelete(args, findings);
			case "dd" -> {
				for (String a : args) {
					if (a.startsWith("of=") && isDevice(a.substring(3))) {
						findings.danger("writes to a device (" + a + ")");
					}
				}
			}
			case "shred", "wipe" -> {
				if (args.stream().anyMatch(CommandPolicy::isDevice)) {
					findings.danger("overwrites a device");
				}
			}
			case "chmod" -> {
				for (String a : args) {
					if (a.matches("[ugoa]*[+=][rwxXt]*s[rwxXst]*") || a.matches("[0-7]*[4-7][0-7]{3}")
							&& a.length() == 4 && a.charAt(0) != '0' && a.charAt(0) != '1') {
						findings.danger("sets the setuid/setgid bit (privilege escalation)");
					}
				}
				if (args.contains("-R") && args.stream().anyMatch(a -> ROOT_TARGETS.contains(a.toLowerCase(Locale.ROOT)))) {
					findings.danger("changes permissions recursively on a root folder");
				}
			}
			case "chown", "chgrp" -> {
				if (args.stream().anyMatch(a -> a.startsWith("root") || a.startsWith("0:"))) {
					findings.danger("gives files to root (privilege escalation)");
				}
			}
			case "kill", "pkill", "killall" -> {
				if (args.contains("-1") && program.equals("kill") || program.equals("killall")
						|| args.stream().anyMatch(a -> a.equals("-u"))) {
					findings.danger("kills every process");
				}
			}
			case "nc", "ncat", "netcat" -> {
				if (args.stream().anyMatch(a -> a.equals("-e") || a.equals("-c") || a.startsWith("--exec"))) {
					findings.danger("opens a remote shell (" + program + " -e)");
				}
			}
			case "socat" -> {
				if (args.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).contains("exec:"))) {
					findings.danger("opens a remote shell (socat exec)");
				}
			}
			case "git" -> {
				if (args.contains("clean") && args.stream().anyMatch(a -> a.startsWith("-") && a.contains("x")
						&& a.contains("f") && a.contains("d"))) {
					findings.danger("git clean -xfd deletes every untracked and ignored file");
				}
			}
			default -> {
			}
		}
	}

	private void checkRecursiveDelete(List<String> args, Findings findings) {
		boolean recursive = false;
		boolean endOfOptions = false;
		List<String> targets = new ArrayList<>();
		for (String a : args) {
			if (!endOfOptions && a.equals("--")) {
				endOfOptions = true;
			}
			else if (!endOfOptions && a.startsWith("--")) {
				recursive |= a.equals("--recursive");
				if (a.equals("--no-preserve-root")) {
					findings.danger("rm --no-preserve-root");
				}
			}
			else if (!endOfOptions && a.startsWith("-") && a.length() > 1) {
				recursive |= a.indexOf('r') > 0 || a.indexOf('R') > 0;
			}
			else {
				targets.add(a);
			}
		}
		if (!recursive) {
			return;
		}
		for (String target : targets) {
			String t = target.toLowerCase(Locale.ROOT);
			String trimmed = t.length() > 1 && t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
			boolean topLevel = trimmed.matches("/[^/]+") || trimmed.matches("/[^/]+/\\*");
			if (ROOT_TARGETS.contains(t) || ROOT_TARGETS.contains(trimmed) || topLevel || t.startsWith("~")
					|| t.startsWith("$home") || t.startsWith("${home}")) {
				findings.danger("recursive delete of a root folder (rm -r " + target + ")");
			}
		}
	}

	private void checkFind(List<String> args, Findings findings, int depth) {
		for (int i = 0; i < args.size(); i++) {
			String a = args.get(i);
			if (a.equals("-delete") && !args.isEmpty()) {
				String start = args.get(0);
				if (!start.startsWith("-") && ROOT_TARGETS.contains(start.toLowerCase(Locale.ROOT))
						&& args.stream().noneMatch(x -> x.equals("-name") || x.equals("-iname") || x.equals("-path"))) {
					findings.danger("find " + start + " -delete removes everything");
				}
			}
			if ((a.equals("-exec") || a.equals("-execdir") || a.equals("-ok") || a.equals("-okdir"))
					&& i + 1 < args.size()) {
				List<String> inner = new ArrayList<>();
				for (int j = i + 1; j < args.size() && !args.get(j).equals(";") && !args.get(j).equals("+"); j++) {
					inner.add(args.get(j).equals("{}") ? "FILE" : args.get(j));
				}
				inspectSimple(new ShellWords.SimpleCommand(inner, List.of()), findings, depth + 1);
			}
		}
	}

	private void checkOutside(String program, List<String> args, Findings findings) {
		if (program.equals("cd") || program.equals("pushd")) {
			String target = args.isEmpty() ? "~" : args.get(0);
			if (!target.equals("-") && leavesWorkspace(target)) {
				findings.deny("changes directory outside the workspace (" + target + ")");
			}
			return;
		}
		if (!FILE_CHANGERS.contains(program)) {
			return;
		}
		for (String a : args) {
			String value = a;
			if (program.equals("dd")) {
				if (!a.startsWith("of=") && !a.startsWith("if=")) {
					continue;
				}
				value = a.substring(3);
			}
			else if (a.startsWith("-")) {
				int eq = a.indexOf('=');
				if (eq < 0) {
					continue;
				}
				value = a.substring(eq + 1);
			}
			if (isDevice(value) || HARMLESS_DEVICES.contains(value)) {
				continue;
			}
			if (leavesWorkspace(value)) {
				findings.deny(program + " touches a path outside the workspace (" + a + ")");
			}
		}
	}

	/** A command that names a hidden file ({@code cat .env}) would read around the ignore rules. */
	private void checkHidden(List<String> args, Findings findings) {
		for (String a : args) {
			String value = a.startsWith("-") && a.indexOf('=') > 0 ? a.substring(a.indexOf('=') + 1) : a;
			if (value.isEmpty() || value.startsWith("-") || value.contains("$")) {
				continue;
			}
			if (isHiddenPath(value)) {
				findings.deny("refers to a path hidden by " + IgnoreRules.FILE_NAME + " (" + a + ")");
			}
		}
	}

	private void checkWriteTarget(String target, Findings findings) {
		if (HARMLESS_DEVICES.contains(target) || target.matches("/dev/fd/\\d+")) {
			return;
		}
		if (isDevice(target)) {
			findings.danger("writes to a device (" + target + ")");
		}
		else if (!target.contains("$") && !leavesWorkspace(target) && isHiddenPath(target)) {
			findings.deny("writes to a path hidden by " + IgnoreRules.FILE_NAME + " (> " + target + ")");
		}
		else if (leavesWorkspace(target)) {
			findings.deny("writes outside the workspace (> " + target + ")");
		}
	}

	private boolean leavesWorkspace(String path) {
		String p = path.strip();
		if (p.isEmpty()) {
			return false;
		}
		String lower = p.toLowerCase(Locale.ROOT);
		if (p.startsWith("~") || lower.startsWith("$home") || lower.startsWith("${home}")) {
			return true;
		}
		if (p.startsWith("/")) {
			Path root = this.workspace.root();
			Path abs = root.getFileSystem().getPath(p).normalize();
			if (!abs.startsWith(root)) {
				return true;
			}
			p = root.relativize(abs).toString();
		}
		try {
			this.workspace.resolve(p);
			return false;
		}
		catch (WorkspaceViolation ex) {
			return true;
		}
	}

	private boolean isHiddenPath(String value) {
		try {
			java.nio.file.Path path = this.workspace.resolve(value);
			return this.ignore.isIgnored(this.workspace.relativize(path), java.nio.file.Files.isDirectory(path));
		}
		catch (WorkspaceViolation | IllegalArgumentException ex) {
			return false;
		}
	}

	private static boolean isDevice(String path) {
		return DEVICE.matcher(path).matches();
	}

	private static boolean isAssignment(String word) {
		int eq = word.indexOf('=');
		return eq > 0 && word.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*");
	}

	static String programName(String word) {
		String name = word.strip();
		int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
		if (slash >= 0) {
			name = name.substring(slash + 1);
		}
		name = name.toLowerCase(Locale.ROOT);
		if (name.endsWith(".exe") || name.endsWith(".cmd") || name.endsWith(".bat")) {
			name = name.substring(0, name.length() - 4);
		}
		return name;
	}

	private static final class Findings {

		private @Nullable String denied;

		private @Nullable String dangerous;

		void deny(String reason) {
			if (this.denied == null) {
				this.denied = reason;
			}
		}

		void danger(String reason) {
			if (this.dangerous == null) {
				this.dangerous = reason;
			}
		}

		Verdict verdict() {
			if (this.denied != null) {
				String reason = (this.dangerous != null) ? this.dangerous + "; " + this.denied : this.denied;
				return new Verdict(Outcome.DENIED, reason, this.dangerous != null);
			}
			if (this.dangerous != null) {
				return new Verdict(Outcome.DANGEROUS, this.dangerous, true);
			}
			return Verdict.allowed();
		}

	}

}
