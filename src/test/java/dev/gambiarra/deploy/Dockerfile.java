package dev.gambiarra.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Just enough of a Dockerfile reader to replay its run stage outside Docker: instructions (continuation lines
 * joined, comments dropped) split into stages at each {@code FROM}.
 */
record Dockerfile(List<List<Instruction>> stages) {

	static Dockerfile read(Path file) throws IOException {
		List<List<Instruction>> stages = new ArrayList<>();
		StringBuilder pending = new StringBuilder();
		for (String raw : Files.readAllLines(file)) {
			String line = raw.strip();
			if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
				continue;
			}
			if (line.endsWith("\\")) {
				pending.append(line, 0, line.length() - 1).append(' ');
				continue;
			}
			pending.append(line);
			Instruction instruction = Instruction.parse(pending.toString());
			pending.setLength(0);
			if (instruction.keyword().equals("FROM")) {
				stages.add(new ArrayList<>());
			}
			if (!stages.isEmpty()) {
				stages.get(stages.size() - 1).add(instruction);
			}
		}
		return new Dockerfile(stages);
	}

	List<Instruction> buildStage() {
		return this.stages.get(0);
	}

	List<Instruction> runStage() {
		return this.stages.get(this.stages.size() - 1);
	}

	/** The run stage's environment, {@code ENV K=V K=V} lines merged in order (our values have no spaces). */
	Map<String, String> runEnvironment() {
		Map<String, String> env = new LinkedHashMap<>();
		for (Instruction instruction : all(runStage(), "ENV")) {
			for (String pair : instruction.arguments().trim().split("\\s+")) {
				int equals = pair.indexOf('=');
				env.put(pair.substring(0, equals), unquote(pair.substring(equals + 1)));
			}
		}
		return env;
	}

	/** The run stage's exec-form ENTRYPOINT. */
	List<String> entrypoint() {
		return execForm(one(runStage(), "ENTRYPOINT").arguments());
	}

	static List<String> execForm(String json) {
		return JsonMapper.builder().build().readValue(json, new TypeReference<List<String>>() {
		});
	}

	static List<Instruction> all(List<Instruction> stage, String keyword) {
		return stage.stream().filter((instruction) -> instruction.keyword().equals(keyword)).toList();
	}

	static Instruction one(List<Instruction> stage, String keyword) {
		List<Instruction> found = all(stage, keyword);
		if (found.size() != 1) {
			throw new IllegalStateException("Expected one " + keyword + " in the stage, found " + found.size());
		}
		return found.get(0);
	}

	private static String unquote(String value) {
		return (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'")))
				? value.substring(1, value.length() - 1) : value;
	}

	record Instruction(String keyword, String arguments) {

		static Instruction parse(String line) {
			String[] parts = line.split("\\s+", 2);
			return new Instruction(parts[0].toUpperCase(Locale.ROOT), (parts.length > 1) ? parts[1] : "");
		}

		/** Arguments split on whitespace, {@code --flag=value} options first. */
		List<String> words() {
			return Arrays.asList(this.arguments.trim().split("\\s+"));
		}

	}

}
