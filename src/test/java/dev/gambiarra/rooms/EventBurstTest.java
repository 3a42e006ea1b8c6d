package dev.gambiarra.rooms;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.support.EventRecorder;
import dev.gambiarra.support.Hub;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hub whose reader of the shared event stream fell far behind (here: 1,000 entries appended at once, while it waits
 * in {@code XREAD}) hands them to its subscribers a bounded batch at a time, so a subscriber that keeps up between two
 * reads is never dropped for a burst: with 512 entries a read, one batch alone overflowed the subscribers' 256-event
 * buffers and cut their streams (the scale-out benchmark lost 770 of 1,000 events across hubs).
 */
class EventBurstTest {

	private static final int EVENTS = 1000;

	/** Appends ARGV[2] llm:request entries for room ARGV[1] to the stream KEYS[1], in one atomic step. */
	private static final String APPEND = """
			for i = 0, tonumber(ARGV[2]) - 1 do
				redis.call('XADD', KEYS[1], '*', 't', 'llm:request', 'r', ARGV[1],
					'd', '{"participantId":"p","model":"m","seq":' .. i .. '}')
			end
			return 1""";

	private final String prefix = "burst-" + UUID.randomUUID() + ":";

	private Hub hub;

	@AfterEach
	void stop() {
		if (this.hub != null) {
			this.hub.close();
		}
	}

	@Test
	void aHubWhoseStreamReaderFellFarBehindHandsItsSubscribersEveryEventInOrderOnce() {
		this.hub = Hub.onRedis(RedisServer.shared().url(), this.prefix);
		HubClient.CreatedRoom room = this.hub.api().createRoom("burst");
		RedisRoomStore store = (RedisRoomStore) this.hub.bean(RoomStore.class);
		List<Integer> between = new CopyOnWriteArrayList<>();
		AtomicReference<Throwable> dropped = new AtomicReference<>();
		// The slowest subscriber that still keeps up: it reads on the reader's own thread, so only between two
		// batches, never while one is being handed over. Whatever one batch holds waits in its buffer meanwhile.
		Disposable slowest = this.hub.bean(EventBus.class)
			.room(room.code())
			.publishOn(store.delivery(), 1)
			.subscribe((event) -> between.add(seq(event.data())), dropped::set);
		try (EventRecorder sse = EventRecorder.open(this.hub.client(), "/rooms/" + room.code() + "/events", null);
				RedisClient client = RedisClient.create(RedisServer.shared().url());
				StatefulRedisConnection<String, String> redis = client.connect()) {
			redis.sync()
				.eval(APPEND, ScriptOutputType.INTEGER, new String[] { this.prefix + "events" }, room.code(),
						Integer.toString(EVENTS));

			await().atMost(Duration.ofSeconds(20)).until(() -> between.size() == EVENTS || dropped.get() != null);
			assertThat(dropped.get()).as("the subscriber was dropped: %s", dropped.get()).isNull();
			assertThat(between).containsExactlyElementsOf(IntStream.range(0, EVENTS).boxed().toList());
			// And the same over HTTP, as a client of the hub's SSE stream sees it.
			await().atMost(Duration.ofSeconds(20))
				.until(() -> sse.data("llm:request").size() >= EVENTS || sse.isCompleted());
			assertThat(sse.isCompleted()).as("the SSE stream is still open").isFalse();
			assertThat(sse.data("llm:request")).extracting((data) -> seq(data))
				.containsExactlyElementsOf(IntStream.range(0, EVENTS).boxed().toList());
		}
		finally {
			slowest.dispose();
		}
	}

	private static int seq(JsonNode data) {
		return data.get("seq").asInt();
	}

	/** The data of an event on the bus, read back from the stream: a map. */
	private static int seq(Object data) {
		return ((Number) ((Map<?, ?>) data).get("seq")).intValue();
	}

}
