package dev.gambiarra.agent.tools;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a parsed call against its tool's schema (offered in this mode, parameters inside {@code <args>}, known
 * names, required ones present, repetitions, types, enums, patterns, nesting) and builds the nested form the
 * client receives: {@code {"args": {...}}} with typed leaves and arrays for {@code multiple} parameters.
 * Every problem is described for the model, which gets the message and corrects its call.
 */
public final class ToolValidator {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private final ToolRegistry registry;

	public ToolValidator(ToolRegistry registry) {
		this.registry = registry;
	}

	/** The outcome: a valid call with its nested parameters, or what is wrong with it. */
	public sealed interface Result {

	}

	public record Valid(ToolDefinition tool, ObjectNode params) implements Result {

		/** The {@code args} object of the nested form. */
		public ObjectNode args() {
			return (ObjectNode) this.params.get("args");
		}

	}

	public record Invalid(String tool, String message) implements Result {

	}

	public Result validate(XmlElement call, Collection<String> offered) {
		ToolDefinition tool = this.registry.find(call.name());
		if (tool == null) {
			return new Invalid(call.name(), "Unknown tool <" + call.name() + ">. Available tools: "
					+ String.join(", ", offered));
		}
		if (!offered.contains(tool.name())) {
			return new Invalid(tool.name(), "The tool <" + tool.name()
					+ "> is not available in this mode (read-only). Available tools: " + String.join(", ", offered));
		}
		List<XmlElement> argsElements = call.children("args");
		List<XmlElement> parameters;
		List<String> errors = new ArrayList<>();
		if (argsElements.size() > 1) {
			errors.add("Use one <args> element, not " + argsElements.size());
			parameters = argsElements.get(0).children();
		}
		else if (argsElements.size() == 1) {
			parameters = argsElements.get(0).children();
			if (argsElements.get(0).isLeaf() && !argsElements.get(0).text().isBlank()) {
				errors.add("<args> must contain nested elements, one per parameter ("
						+ String.join(", ", tool.params().keySet().stream().map((n) -> "<" + n + ">").toList()) + ")");
				return new Invalid(tool.name(), String.join("; ", errors) + ".");
			}
			if (call.children().size() > 1) {
				errors.add("Put every parameter inside <args>…</args>");
			}
		}
		else {
			// lenient: parameters written without the <args> wrapper
			parameters = call.children();
		}
		ObjectNode args = object(tool.params(), parameters, "", errors);
		if (!errors.isEmpty()) {
			return new Invalid(tool.name(), String.join("; ", errors) + ".");
		}
		ObjectNode params = NODES.objectNode();
		params.set("args", args);
		return new Valid(tool, params);
	}

	private ObjectNode object(Map<String, ParamSpec> specs, List<XmlElement> elements, String path,
			List<String> errors) {
		ObjectNode node = NODES.objectNode();
		for (XmlElement element : elements) {
			if (!specs.containsKey(element.name())) {
				errors.add("Unknown parameter <" + path + element.name() + ">"
						+ (specs.isEmpty() ? "" : " (allowed: " + String.join(", ", specs.keySet()) + ")"));
			}
		}
		for (Map.Entry<String, ParamSpec> entry : specs.entrySet()) {
			String name = entry.getKey();
			ParamSpec spec = entry.getValue();
			String where = path + name;
			List<XmlElement> given = elements.stream().filter((element) -> element.name().equals(name)).toList();
			if (given.isEmpty()) {
				if (spec.required()) {
					errors.add("Missing required parameter <" + where + ">");
				}
				continue;
			}
			if (!spec.multiple() && given.size() > 1) {
				errors.add("Parameter <" + where + "> given " + given.size() + " times; it takes one value");
				continue;
			}
			if (spec.multiple() && spec.maxItems() > 0 && given.size() > spec.maxItems()) {
				errors.add("Parameter <" + where + "> given " + given.size() + " times; at most " + spec.maxItems()
						+ " allowed in one call");
				continue;
			}
			if (spec.multiple()) {
				ArrayNode array = NODES.arrayNode();
				given.forEach((element) -> value(spec, element, where, errors, array));
				node.set(name, array);
			}
			else {
				ArrayNode single = NODES.arrayNode();
				value(spec, given.get(0), where, errors, single);
				if (!single.isEmpty()) {
					node.set(name, single.get(0));
				}
			}
		}
		return node;
	}

	private void value(ParamSpec spec, XmlElement element, String where, List<String> errors, ArrayNode into) {
		if (spec.isObject()) {
			if (element.isLeaf() && !element.text().isBlank()) {
				errors.add("Parameter <" + where + "> must contain nested elements ("
						+ String.join(", ", spec.properties().keySet().stream().map((n) -> "<" + n + ">").toList())
						+ "), not text");
				return;
			}
			into.add(object(spec.properties(), element.children(), where + ">/<", errors));
			return;
		}
		if (!element.isLeaf()) {
			errors.add("Parameter <" + where + "> must be a plain value, not nested elements");
			return;
		}
		String text = element.text();
		switch (spec.type()) {
			case "integer" -> {
				try {
					into.add(Long.parseLong(text.strip()));
				}
				catch (NumberFormatException ex) {
					errors.add("Parameter <" + where + "> must be an integer, got \"" + shorten(text) + "\"");
				}
			}
			case "number" -> {
				try {
					into.add(Double.parseDouble(text.strip()));
				}
				catch (NumberFormatException ex) {
					errors.add("Parameter <" + where + "> must be a number, got \"" + shorten(text) + "\"");
				}
			}
			case "boolean" -> {
				String value = text.strip().toLowerCase(Locale.ROOT);
				if (value.equals("true") || value.equals("false")) {
					into.add(Boolean.parseBoolean(value));
				}
				else {
					errors.add("Parameter <" + where + "> must be true or false, got \"" + shorten(text) + "\"");
				}
			}
			default -> {
				if (spec.required() && !spec.raw() && text.isBlank()) {
					errors.add("Parameter <" + where + "> must not be empty");
				}
				else if (!spec.enumValues().isEmpty() && !spec.enumValues().contains(text)) {
					errors.add("Parameter <" + where + "> must be one of " + String.join(", ", spec.enumValues())
							+ ", got \"" + shorten(text) + "\"");
				}
				else if (spec.pattern() != null && !spec.pattern().matcher(text).matches()) {
					errors.add("Parameter <" + where + "> has an invalid format: \"" + shorten(text) + "\" ("
							+ (spec.description().isEmpty() ? "pattern " + spec.pattern().pattern() : spec.description())
							+ ")");
				}
				else {
					into.add(text);
				}
			}
		}
	}

	private static String shorten(String text) {
		return (text.length() > 40) ? text.substring(0, 40) + "…" : text;
	}

}
