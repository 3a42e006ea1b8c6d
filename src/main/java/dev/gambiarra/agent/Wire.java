package dev.gambiarra.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds protocol messages: {@code type} first, then fields in the order given. */
final class Wire {

	private Wire() {
	}

	static Map<String, Object> message(String type, Object... keysAndValues) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", type);
		for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
			message.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return message;
	}

}
