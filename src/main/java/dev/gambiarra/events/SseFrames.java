package dev.gambiarra.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes Server-Sent Events frames, byte for byte what Spring's SSE writer sends ({@code event:<type>},
 * {@code data:<json>}, blank line; a heartbeat is the comment {@code :heartbeat}), with the application's
 * {@link JsonMapper}. Frames live in read-only heap buffers: every stream writes its own view of the same bytes, so
 * nothing is encoded per subscriber. (Not direct buffers: a JDK direct allocation can stall the publishing event loop
 * when direct memory runs short.)
 */
final class SseFrames {

	private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DATA = "\ndata:".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

	static final ByteBuffer HEARTBEAT = ByteBuffer.wrap(":heartbeat\n\n".getBytes(StandardCharsets.US_ASCII))
		.asReadOnlyBuffer();

	private final JsonMapper json;

	SseFrames(JsonMapper json) {
		this.json = json;
	}

	/** The frame of a bus event. */
	ByteBuffer event(HubEvent event) {
		return frame(event.type(), event.data());
	}

	/** The first frame of every stream. */
	ByteBuffer connected(String clientId) {
		return frame("connected", Map.of("clientId", clientId));
	}

	private ByteBuffer frame(String type, Object data) {
		byte[] name = type.getBytes(StandardCharsets.UTF_8);
		byte[] body = this.json.writeValueAsBytes(data);
		int newLines = 0;
		for (byte b : body) {
			if (b == '\n') {
				newLines++;
			}
		}
		ByteBuffer frame = ByteBuffer.allocate(EVENT.length + name.length + DATA.length + body.length
				+ newLines * (DATA.length - 1) + END.length);
		frame.put(EVENT).put(name).put(DATA);
		if (newLines == 0) {
			frame.put(body);
		}
		else {
			// Only an indenting mapper writes line breaks; each line of data needs its own "data:" field.
			for (byte b : body) {
				if (b == '\n') {
					frame.put(DATA);
				}
				else {
					frame.put(b);
				}
			}
		}
		frame.put(END);
		return frame.flip().asReadOnlyBuffer();
	}

}
