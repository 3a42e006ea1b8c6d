package dev.gambiarra.agent.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Turns one definition document (JSON) into a {@link ToolDefinition}, refusing anything it does not understand
 * with a message that names the file and the field.
 */
final class ToolDefinitionReader {

	/** The definition format this hub reads; a file declaring another one is refused. */
	static final int FORMAT = 1;

	private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

	private static final Pattern VERSION = Pattern.compile("(0|[1-9]\\d{0,3})\\.(0|[1-9]\\d{0,3})");

	private static final List<String> RISKS = List.of("low", "medium", "high");

	private ToolDefinitionReader() {
	}

	static ToolDefinition read(JsonNode node, String source) {
		if (!node.isObject()) {
			throw invalid(source, "a tool definition must be a JSON object");
		}
		int format = node.path("format").asInt(-1);
		if (format != FORMAT) {
			throw invalid(source, "unsupported definition format " + node.path("format") + " (this hub reads "
					+ FORMAT + ")");
		}
		String name = text(node, "name", source, true);
		if (!NAME.matcher(name).matches()) {
			throw invalid(source, "name must match " + NAME.pattern());
		}
		String version = text(node, "version", source, true);
		if (!VERSION.matcher(version).matches()) {
			throw invalid(source, "version must be MAJOR.MINOR, for example 1.0");
		}
		String risk = text(node, "risk", source, true);
		if (!RISKS.contains(risk)) {
			throw invalid(source, "risk must be one of " + RISKS);
		}
		JsonNode mutating = node.get("mutating");
		if (mutating == null || !mutating.isBoolean()) {
			throw invalid(source, "mutating must be true or false");
		}
		Map<String, ParamSpec> params = properties(node.get("params"), source, name);
		return new ToolDefinition(name, version, text(node, "description", source, true), risk,
				mutating.asBoolean(), params, text(node, "example", source, true), source);
	}

	private static Map<String, ParamSpec> properties(@Nullable JsonNode node, String source, String path) {
		if (node == null || !node.isObject()) {
			throw invalid(source, path + ": params/properties must be an object of parameters");
		}
		Map<String, ParamSpec> params = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			String name = entry.getKey();
			if (!NAME.matcher(name).matches()) {
				throw invalid(source, path + ": parameter name '" + name + "' must match " + NAME.pattern());
			}
			params.put(name, param(entry.getValue(), source, path + "." + name));
		}
		return params;
	}

	private static ParamSpec param(JsonNode node, String source, String path) {
		if (!node.isObject()) {
			throw invalid(source, path + " must be an object");
		}
		String type = node.path("type").asString("string");
		if (!ParamSpec.TYPES.contains(type)) {
			throw invalid(source, path + ": type must be one of " + ParamSpec.TYPES);
		}
		List<String> enumValues = new ArrayList<>();
		JsonNode values = node.get("enum");
		if (values != null) {
			if (!values.isArray() || !type.equals("string")) {
				throw invalid(source, path + ": enum must be an array of strings on a string parameter");
			}
			values.values().forEach((value) -> enumValues.add(value.asString()));
		}
		Pattern pattern = null;
		String regex = node.path("pattern").asString(null);
		if (regex != null) {
			try {
				pattern = Pattern.compile(regex);
			}
			catch (PatternSyntaxException ex) {
				throw invalid(source, path + ": invalid pattern " + ex.getDescription());
			}
		}
		Map<String, ParamSpec> properties = type.equals("object") ? properties(node.get("properties"), source, path)
				: Map.of();
		return new ParamSpec(type, node.path("description").asString(""), node.path("required").asBoolean(false),
				node.path("multiple").asBoolean(false), node.path("maxItems").asInt(0), node.path("raw").asBoolean(false),
				!node.path("raw").asBoolean(false) || node.path("trim").asBoolean(false),
				enumValues, pattern, properties);
	}

	private static String text(JsonNode node, String field, String source, boolean required) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString() || value.asString().isBlank()) {
			if (required) {
				throw invalid(source, field + " is required and must be a non-empty string");
			}
			return "";
		}
		return value.asString();
	}

	private static IllegalArgumentException invalid(String source, String message) {
		return new IllegalArgumentException(source + ": " + message);
	}

}
