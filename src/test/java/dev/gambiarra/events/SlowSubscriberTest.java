package dev.gambiarra.events;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import dev.gambiarra.support.EventRecorder;
import dev.gambiarra.support.HubClient.CreatedRoom;
import dev.gambiarra.support.ObservedHubTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber that never reads: its TCP window fills, then its bounded buffer, then the hub drops it. Meanwhile a
 * normal subscriber gets every event on time and the proxy keeps answering.
 */
class SlowSubscriberTest extends ObservedHubTest {

	private static final int BATCH = 20;

	private static final int MAX_BATCHES = 200;

	private static final String PADDING = "x".repeat(16 * 1024);

	@Autowired
	private EventBus bus;

	@Test
	void aSubscriberThatNeverReadsIsDroppedWithoutDelayingOthersOrTheProxy() throws Exception {
		CreatedRoom room = this.hub.createRoom("slow-readers");
		this.hub.join(room.code(), "worker", "llama", llm.endpoint());
		int streamsBefore = this.bus.streamCount();
		try (Socket stalled = new Socket();
				EventRecorder normal = EventRecorder.open(this.client, "/rooms/" + room.code() + "/events", null)) {
			stalled.setReceiveBufferSize(4096);
			stalled.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			OutputStream out = stalled.getOutputStream();
			out.write(("GET /rooms/" + room.code() + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
					+ "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.bus.streamCount() == streamsBefore + 2);

			// Publish in batches until the stalled subscriber is dropped (then two more batches); the normal
			// subscriber must have every event of each batch before the next one goes out.
			int sent = 0;
			int batchesAfterDrop = 0;
			boolean proxied = false;
			for (int batch = 0; batch < MAX_BATCHES && batchesAfterDrop < 2; batch++) {
				for (int i = 0; i < BATCH; i++) {
					this.bus.publish(new HubEvent(room.code(), "test:filler", Map.of("seq", sent++, "pad", PADDING)));
				}
				int expected = sent;
				await().atMost(Duration.ofSeconds(5))
					.pollInterval(Duration.ofMillis(10))
					.until(() -> normal.data("test:filler").size() == expected);
				if (!proxied) {
					// While the stalled subscriber still sits on the hub, the proxy answers promptly.
					proxied = true;
					long started = System.nanoTime();
					this.client.post()
						.uri("/rooms/{code}/v1/chat/completions", room.code())
						.contentType(MediaType.APPLICATION_JSON)
						.bodyValue(Map.of("model", "worker", "messages",
								List.of(Map.of("role", "user", "content", "hi"))))
						.exchange()
						.expectStatus()
						.isEqualTo(HttpStatus.OK);
					assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
				}
				if (this.bus.streamCount() == streamsBefore + 1) {
					batchesAfterDrop++;
				}
			}
			// The stalled one overflowed its buffer and was dropped: nothing more is held for it.
			assertThat(batchesAfterDrop).as("dropped within %d events", sent).isEqualTo(2);
			assertThat(normal.data("test:filler")).hasSize(sent);
			assertThat(normal.data("test:filler").get(sent - 1).path("seq").asInt()).isEqualTo(sent - 1);
			normal.awaitEvent("llm:complete");
			assertThat(normal.isCompleted()).isFalse();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.bus.streamCount() == streamsBefore);
	}

}
