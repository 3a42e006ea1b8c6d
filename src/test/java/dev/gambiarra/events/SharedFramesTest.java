package dev.gambiarra.events;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.gambiarra.support.HubClient.CreatedRoom;
import dev.gambiarra.support.ObservedHubTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event is serialised once, however many streams watch it, and every stream sends the very same frame bytes.
 */
class SharedFramesTest extends ObservedHubTest {

	private static final int SUBSCRIBERS = 25;

	private static final AtomicInteger serialisations = new AtomicInteger();

	@Autowired
	private EventBus bus;

	/** Event data that counts how often Jackson reads it, i.e. how often it is serialised. */
	record Counted(String word) {

		@Override
		@JsonProperty("word")
		public String word() {
			serialisations.incrementAndGet();
			return this.word;
		}

	}

	@Test
	void manySubscribersGetIdenticalFramesFromOneSerialisation() throws Exception {
		CreatedRoom room = this.hub.createRoom("shared-frames");
		int streamsBefore = this.bus.streamCount();
		List<Socket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < SUBSCRIBERS; i++) {
				Socket socket = new Socket();
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
				socket.setSoTimeout(10_000);
				OutputStream out = socket.getOutputStream();
				out.write(("GET /rooms/" + room.code() + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
						+ "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
				sockets.add(socket);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> this.bus.streamCount() == streamsBefore + SUBSCRIBERS);
			serialisations.set(0);

			this.bus.publish(new HubEvent(room.code(), "test:shared", new Counted("caf\u00e9 \"quoted\"")));

			String expected = "event:test:shared\ndata:{\"word\":\"caf\u00e9 \\\"quoted\\\"\"}\n\n";
			for (Socket socket : sockets) {
				assertThat(readUntil(socket.getInputStream(), "event:test:shared")).endsWith(expected);
			}
			assertThat(serialisations).as("one serialisation for %d subscribers", SUBSCRIBERS).hasValue(1);
		}
		finally {
			for (Socket socket : sockets) {
				socket.close();
			}
		}
	}

	@Test
	void everyStreamSendsTheSameSharedFrameWithoutCopyingIt() {
		EventsProperties properties = new EventsProperties(Duration.ofSeconds(15), 8, 100);
		EventBus localBus = new EventBus(properties);
		EventsController controller = new EventsController(localBus, properties, OpenEventAccess.INSTANCE, JsonMapper.shared());
		List<ByteBuffer> frames = new CopyOnWriteArrayList<>();
		List<Disposable> streams = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/rooms/abc/events"));
			streams.add(controller.roomFrames("abc", exchange).skip(1).subscribe(frames::add));
		}
		serialisations.set(0);
		localBus.publish(new HubEvent("ABC", "test:shared", new Counted("once")));
		streams.forEach(Disposable::dispose);

		assertThat(frames).hasSize(3);
		assertThat(frames.get(1)).isSameAs(frames.get(0));
		assertThat(frames.get(2)).isSameAs(frames.get(0));
		assertThat(frames.get(0).isReadOnly()).isTrue();
		assertThat(StandardCharsets.UTF_8.decode(frames.get(0).duplicate()).toString())
			.isEqualTo("event:test:shared\ndata:{\"word\":\"once\"}\n\n");
		assertThat(serialisations).hasValue(1);
	}

	/** Reads the raw (chunked) response until {@code marker} and the end of its frame have arrived. */
	private static String readUntil(InputStream in, String marker) throws Exception {
		StringBuilder seen = new StringBuilder();
		byte[] buffer = new byte[4096];
		while (true) {
			int at = seen.indexOf(marker);
			if (at >= 0 && seen.indexOf("\n\n", at) >= 0) {
				return seen.substring(0, seen.indexOf("\n\n", at) + 2);
			}
			int read = in.read(buffer);
			if (read < 0) {
				return seen.toString();
			}
			seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
		}
	}

}
