package dev.gambiarra.proxy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import dev.gambiarra.web.HubException;

/**
 * A client's OpenAI request body as the proxy needs it: the bytes as received, and what routing reads from them,
 * found in one streaming pass that validates the whole document without building a tree. The body the participant
 * receives is the same bytes with each top-level {@code model} value replaced and, where the request has none, the
 * participant's stored generation defaults put first: nothing else is re-serialised, so a large prompt costs one
 * copy, not a parse into objects and a write back.
 */
final class ProxyRequest {

	/** Generation parameters a participant's stored {@code config} may supply when the request does not. */
	static final List<String> GENERATION_DEFAULTS = List.of("temperature", "top_p", "max_tokens", "stop",
			"frequency_penalty", "presence_penalty", "seed");

	private final byte[] body;

	private final String model;

	private final boolean stream;

	/** Start and end (exclusive) byte offsets of each top-level {@code model} value, in order. */
	private final int[] modelRanges;

	/** Bit {@code i} set: the request has its own {@code GENERATION_DEFAULTS.get(i)}. */
	private final int presentDefaults;

	private ProxyRequest(byte[] body, String model, boolean stream, int[] modelRanges, int presentDefaults) {
		this.body = body;
		this.model = model;
		this.stream = stream;
		this.modelRanges = modelRanges;
		this.presentDefaults = presentDefaults;
	}

	/**
	 * Reads {@code body}, which must be one JSON object with a non-empty string {@code model}.
	 * @throws HubException 400 with the message clients know for each kind of bad body
	 */
	static ProxyRequest parse(byte[] body, JsonMapper json) {
		Scan scan = new Scan();
		try (JsonParser parser = json.createParser(body)) {
			JsonToken first = parser.nextToken();
			if (first == null) {
				throw HubException.badRequest("Invalid JSON body");
			}
			if (first != JsonToken.START_OBJECT) {
				parser.skipChildren();
				requireEnd(parser);
				throw HubException.badRequest("Request body must be a JSON object");
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				scan.property(name, value, parser);
			}
			requireEnd(parser);
		}
		catch (JacksonException ex) {
			throw HubException.badRequest("Invalid JSON body");
		}
		if (scan.modelToken == null || scan.modelToken == JsonToken.VALUE_NULL) {
			throw HubException.badRequest("Missing required field: model");
		}
		if (scan.modelToken != JsonToken.VALUE_STRING || scan.model == null || scan.model.isEmpty()) {
			throw HubException.badRequest("Invalid value for field 'model': expected a non-empty string");
		}
		return new ProxyRequest(body, scan.model, scan.stream, scan.ranges(), scan.presentDefaults);
	}

	/** After the top-level value: nothing but whitespace may follow. */
	private static void requireEnd(JsonParser parser) {
		if (parser.nextToken() != null) {
			throw HubException.badRequest("Invalid JSON body");
		}
	}

	/** The model the client asked for ({@code *}, {@code any}, a model name, {@code model:NAME}, a participant id). */
	String model() {
		return this.model;
	}

	/** Whether the client asked for a streamed answer. */
	boolean stream() {
		return this.stream;
	}

	/**
	 * The body for the participant: its real model name in place of every top-level {@code model} value and, for a
	 * generating operation, each of its stored defaults the request does not set.
	 */
	byte[] forParticipant(String participantModel, Map<String, Object> config, boolean generates, JsonMapper json) {
		byte[] modelValue = jsonString(participantModel, json);
		byte[] defaults = generates ? defaults(config, json) : new byte[0];
		int length = this.body.length + defaults.length;
		for (int i = 0; i < this.modelRanges.length; i += 2) {
			length += modelValue.length - (this.modelRanges[i + 1] - this.modelRanges[i]);
		}
		byte[] out = new byte[length];
		int read = 0;
		int written = 0;
		if (defaults.length > 0) {
			// Right after the object's opening brace; each default ends with a comma and "model" always follows.
			int open = indexOfOpeningBrace();
			System.arraycopy(this.body, 0, out, 0, open + 1);
			System.arraycopy(defaults, 0, out, open + 1, defaults.length);
			read = open + 1;
			written = open + 1 + defaults.length;
		}
		for (int i = 0; i < this.modelRanges.length; i += 2) {
			int start = this.modelRanges[i];
			System.arraycopy(this.body, read, out, written, start - read);
			written += start - read;
			System.arraycopy(modelValue, 0, out, written, modelValue.length);
			written += modelValue.length;
			read = this.modelRanges[i + 1];
		}
		System.arraycopy(this.body, read, out, written, this.body.length - read);
		return out;
	}

	/** {@code value} as a JSON string: printable ASCII needs no escape (the usual model name), the rest Jackson's. */
	static byte[] jsonString(String value, JsonMapper json) {
		int length = value.length();
		byte[] quoted = new byte[length + 2];
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
				return json.writeValueAsBytes(value);
			}
			quoted[i + 1] = (byte) c;
		}
		quoted[0] = '"';
		quoted[length + 1] = '"';
		return quoted;
	}

	private byte[] defaults(Map<String, Object> config, JsonMapper json) {
		if (config.isEmpty()) {
			return new byte[0];
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (int i = 0; i < GENERATION_DEFAULTS.size(); i++) {
			String key = GENERATION_DEFAULTS.get(i);
			Object value = config.get(key);
			if (value != null && (this.presentDefaults & (1 << i)) == 0) {
				out.writeBytes(json.writeValueAsBytes(key));
				out.write(':');
				out.writeBytes(json.writeValueAsBytes(value));
				out.write(',');
			}
		}
		return out.toByteArray();
	}

	private int indexOfOpeningBrace() {
		for (int i = 0; i < this.body.length; i++) {
			if (this.body[i] == '{') {
				return i;
			}
		}
		throw new IllegalStateException("parsed body has no object");
	}

	/** What one pass over the top-level properties found. */
	private static final class Scan {

		private JsonToken modelToken;

		private String model;

		private boolean stream;

		private int[] ranges = new int[2];

		private int rangeCount;

		private int presentDefaults;

		void property(String name, JsonToken value, JsonParser parser) {
			if (name.equals("model")) {
				this.modelToken = value;
				this.model = null;
				if (value == JsonToken.VALUE_STRING) {
					int start = (int) parser.currentTokenLocation().getByteOffset();
					this.model = parser.getString();
					// getString() consumed the closing quote: the parser now stands right after the value.
					addRange(start, (int) parser.currentLocation().getByteOffset());
				}
				else {
					parser.skipChildren();
				}
				return;
			}
			if (name.equals("stream")) {
				this.stream = asBoolean(value, parser);
			}
			int index = GENERATION_DEFAULTS.indexOf(name);
			if (index >= 0) {
				this.presentDefaults |= 1 << index;
			}
			parser.skipChildren();
		}

		/** Lenient like the tree's {@code asBoolean}: {@code true}, {@code "true"} or a non-zero integer. */
		private static boolean asBoolean(JsonToken value, JsonParser parser) {
			return switch (value) {
				case VALUE_TRUE -> true;
				case VALUE_STRING -> "true".equals(parser.getString().trim());
				case VALUE_NUMBER_INT -> parser.getNumberValue().longValue() != 0;
				default -> false;
			};
		}

		private void addRange(int start, int end) {
			if (this.rangeCount + 2 > this.ranges.length) {
				this.ranges = Arrays.copyOf(this.ranges, this.ranges.length * 2);
			}
			this.ranges[this.rangeCount++] = start;
			this.ranges[this.rangeCount++] = end;
		}

		int[] ranges() {
			return Arrays.copyOf(this.ranges, this.rangeCount);
		}

	}

}
