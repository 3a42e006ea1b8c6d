package dev.gambiarra.agent.tools;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The schema of one tool parameter (an XML element inside {@code <args>}).
 *
 * @param type {@code string}, {@code integer}, {@code number}, {@code boolean} or {@code object}
 * @param required whether the element must be present
 * @param multiple whether it may repeat; its nested form is then always a JSON array
 * @param maxItems most repetitions of a {@code multiple} parameter (0 = no limit)
 * @param raw a string taken literally (code, file content): no entity decoding, whitespace kept
 * @param trim whether surrounding whitespace is removed (always for a non-raw string)
 * @param enumValues the allowed values of a string, empty for any
 * @param pattern a regular expression a string must match in full, or {@code null}
 * @param properties the child elements of an {@code object}
 */
public record ParamSpec(String type, String description, boolean required, boolean multiple, int maxItems,
		boolean raw, boolean trim, List<String> enumValues, @Nullable Pattern pattern, Map<String, ParamSpec> properties) {

	static final List<String> TYPES = List.of("string", "integer", "number", "boolean", "object");

	public ParamSpec {
		enumValues = List.copyOf(enumValues);
		properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
	}

	public boolean isObject() {
		return this.type.equals("object");
	}

}
