package dev.gambiarra.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

/**
 * Chooses how the jar runs from its program arguments. When every argument starts with {@code --} (Spring
 * properties such as {@code --server.port=3001}) it is the hub. When one does not, it is a one-shot CLI command:
 * no web server, no banner, warnings only, and {@link HubRunner} runs the command and exits with its code. The
 * {@code serve} command is the exception: it starts the hub, its flags turned into properties.
 */
public final class Launcher {

	/** Internal property that tells {@link HubRunner} to run a one-shot command. */
	static final String MODE_PROPERTY = "gambiarra.launch.mode";

	static final String CLI_MODE = "cli";

	private Launcher() {
	}

	public static void run(Class<?> application, String[] args) {
		SpringApplication app = new SpringApplication(application);
		String[] effective;
		try {
			effective = configure(app, args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(CommandLines.USAGE);
			return;
		}
		app.run(effective);
	}

	/** Sets the mode on {@code app} and returns the arguments to start it with. */
	static String[] configure(SpringApplication app, String[] args) {
		int command = firstCommand(args);
		if (command < 0) {
			return args;
		}
		if (args[command].equals("serve")) {
			return serveArguments(args, command);
		}
		app.setWebApplicationType(WebApplicationType.NONE);
		app.setBannerMode(Banner.Mode.OFF);
		app.setLogStartupInfo(false);
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put(MODE_PROPERTY, CLI_MODE);
		defaults.put("logging.level.root", "warn");
		defaults.put("logging.level.org.jline", "error");
		defaults.put("spring.main.lazy-initialization", "true");
		app.setDefaultProperties(defaults);
		return args;
	}

	/** Index of the first argument that is not a {@code --} option, or -1 when there is none (server mode). */
	static int firstCommand(String[] args) {
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--")) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * {@code serve [--port N] [--host H] [--mdns [true|false]] [--quiet [true|false]] [--demo true|false]
	 * [--console true|false]} as Spring properties; the leading {@code --key=value} arguments are kept.
	 */
	static String[] serveArguments(String[] args, int command) {
		List<String> result = new ArrayList<>(Arrays.asList(args).subList(0, command));
		List<String> rest = Arrays.asList(args).subList(command + 1, args.length);
		for (int i = 0; i < rest.size(); i++) {
			String arg = rest.get(i);
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("serve: unexpected argument '" + arg + "'");
			}
			String name = arg.substring(2);
			String value = null;
			int equals = name.indexOf('=');
			if (equals >= 0) {
				value = name.substring(equals + 1);
				name = name.substring(0, equals);
			}
			else if (i + 1 < rest.size() && !rest.get(i + 1).startsWith("--")) {
				value = rest.get(++i);
			}
			switch (name.toLowerCase(Locale.ROOT)) {
				case "port" -> result.add("--server.port=" + required(name, value));
				case "host" -> result.add("--server.address=" + required(name, value));
				case "mdns" -> result.add("--gambiarra.mdns.enabled=" + flag(value));
				case "demo" -> result.add("--gambiarra.demo.enabled=" + flag(value));
				case "console" -> result.add("--gambiarra.console.enabled=" + flag(value));
				case "quiet" -> {
					if (Boolean.parseBoolean(flag(value))) {
						result.add("--logging.level.root=warn");
						result.add("--logging.level.dev.gambiarra=warn");
					}
				}
				default -> result.add(arg.contains("=") || value == null ? arg : arg + "=" + value);
			}
		}
		return result.toArray(String[]::new);
	}

	private static String required(String name, String value) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("serve: --" + name + " needs a value");
		}
		return value;
	}

	private static String flag(String value) {
		return (value == null) ? "true" : Boolean.toString(Boolean.parseBoolean(value));
	}

}
