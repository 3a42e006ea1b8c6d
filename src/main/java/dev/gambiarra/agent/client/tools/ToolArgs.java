package dev.gambiarra.agent.client.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A tool request's parameters: the {@code args} object of the nested form the hub sends (a leaf is a string, or a
 * number/boolean when the tool schema says so; a repeated element is an array). Lenient about what it can safely
 * convert ({@code "12"} is a fine integer, {@code "true"} a fine boolean), strict about what is missing.
 */
public final class ToolArgs {

	private final JsonNode args;

	private ToolArgs(JsonNode args) {
		this.args = args;
	}

	/**
	 * Unwraps {@code params.args}; accepts flat params too.
	 * @param params the request's {@code params}
	 * @return the arguments
	 */
	public static ToolArgs of(JsonNode params) {
		JsonNode inner = params.get("args");
		return new ToolArgs((inner != null && inner.isObject()) ? inner : params);
	}

	static ToolArgs ofNode(JsonNode node) {
		return new ToolArgs(node);
	}

	/** A required string parameter. */
	String string(String name) {
		String value = optionalString(name);
		if (value == null) {
			throw new ToolException("Missing required parameter '" + name + "'");
		}
		return value;
	}

	/** A required string that must not be blank. */
	String nonBlank(String name) {
		String value = string(name);
		if (value.isBlank()) {
			throw new ToolException("Parameter '" + name + "' must not be empty");
		}
		return value;
	}

	@Nullable String optionalString(String name) {
		JsonNode node = this.args.get(name);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isValueNode()) {
			throw new ToolException("Parameter '" + name + "' must be a value, not " + node.getNodeType());
		}
		return node.asString();
	}

	@Nullable Integer optionalInt(String name) {
		JsonNode node = this.args.get(name);
		if (node == null || node.isNull() || (node.isString() && node.asString().isBlank())) {
			return null;
		}
		if (node.isIntegralNumber() && node.canConvertToInt()) {
			return node.asInt();
		}
		if (node.isString()) {
			try {
				return Integer.parseInt(node.asString().strip());
			}
			catch (NumberFormatException ex) {
				// fall through
			}
		}
		throw new ToolException("Parameter '" + name + "' must be an integer");
	}

	boolean flag(String name, boolean fallback) {
		JsonNode node = this.args.get(name);
		if (node == null || node.isNull()) {
			return fallback;
		}
		if (node.isBoolean()) {
			return node.asBoolean();
		}
		String text = node.isValueNode() ? node.asString().strip().toLowerCase(Locale.ROOT) : "";
		return switch (text) {
			case "true", "yes", "1" -> true;
			case "false", "no", "0", "" -> false;
			default -> throw new ToolException("Parameter '" + name + "' must be true or false");
		};
	}

	/** A parameter that may be one object or an array of them. */
	List<ToolArgs> objects(String name) {
		JsonNode node = this.args.get(name);
		List<ToolArgs> result = new ArrayList<>();
		if (node == null || node.isNull()) {
			return result;
		}
		if (node.isArray()) {
			for (JsonNode item : node.values()) {
				result.add(new ToolArgs(item));
			}
		}
		else {
			result.add(new ToolArgs(node));
		}
		return result;
	}

	boolean has(String name) {
		JsonNode node = this.args.get(name);
		return node != null && !node.isNull();
	}

}
