package dev.gambiarra.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Registration;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.testllm.TestLlmOptions;
import dev.gambiarra.testllm.TestLlmServer;
import dev.gambiarra.web.HubException;

/**
 * Once the hub is ready, starts an embedded test LLM on a free loopback port, creates the demo room with its fixed
 * code and joins the test LLM to it in-process, then keeps that participant's heartbeat going so it never goes
 * offline. Stopping the hub closes the test LLM.
 */
@Component
@ConditionalOnWebApplication
@ConditionalOnProperty(name = "gambiarra.demo.enabled", havingValue = "true")
class DemoRoom implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DemoRoom.class);

	static final String PARTICIPANT_ID = "demo-llm";

	private final RoomService rooms;

	private final DemoProperties properties;

	private final Environment environment;

	private @Nullable TestLlmServer llm;

	private @Nullable Disposable heartbeat;

	private volatile boolean running;

	DemoRoom(RoomService rooms, DemoProperties properties, Environment environment) {
		this.rooms = rooms;
		this.properties = properties;
		this.environment = environment;
	}

	@EventListener(ApplicationReadyEvent.class)
	public synchronized void open() {
		if (this.llm != null) {
			return;
		}
		if (this.rooms.sharedStore()) {
			// Its participant would be an LLM inside this one JVM, left behind in the shared store when it stops.
			logger.info("Demo room not opened: the store is shared (gambiarra.store.type=redis)");
			return;
		}
		TestLlmServer server = TestLlmServer.start(TestLlmOptions.defaults()
			.withModels(List.of(this.properties.model()))
			.withChunks(this.properties.chunks())
			.withDelay(this.properties.delay()));
		this.llm = server;
		Room room;
		try {
			this.rooms.create(this.properties.roomName(), null, this.properties.roomCode())
				.block(Duration.ofSeconds(10));
			room = this.rooms.require(this.properties.roomCode());
		}
		catch (HubException ex) {
			logger.warn("Demo room {} not created: {}", this.properties.roomCode(), ex.getMessage());
			return;
		}
		this.rooms.join(room, registration(server), null).block(Duration.ofSeconds(10));
		this.heartbeat = Flux.interval(this.properties.heartbeat(), Schedulers.parallel())
			.subscribe((tick) -> keepAlive(room));
		String port = this.environment.getProperty("local.server.port", "3000");
		logger.info("Demo room {} is ready, served by the built-in test LLM. Try: curl http://localhost:{}/rooms/{}"
				+ "/v1/chat/completions -H 'Content-Type: application/json' -d '{\"model\":\"*\",\"messages\":"
				+ "[{\"role\":\"user\",\"content\":\"hi\"}]}'", room.code(), port, room.code());
	}

	private Registration registration(TestLlmServer server) {
		return new Registration(PARTICIPANT_ID, this.properties.nickname(), this.properties.model(), server.baseUrl(),
				Map.of("cpu", "built-in test LLM"), Map.of(), null, 64);
	}

	private void keepAlive(Room room) {
		Participant participant = room.participant(PARTICIPANT_ID);
		if (participant == null || this.rooms.find(room.code()).orElse(null) != room) {
			return;
		}
		// Kicked or the room closed meanwhile: nothing to keep alive.
		this.rooms.heartbeat(room, PARTICIPANT_ID).onErrorResume(HubException.class, (ex) -> Mono.empty()).subscribe();
	}

	/** The embedded test LLM's base URL, once the demo is open. */
	@Nullable String endpoint() {
		TestLlmServer server = this.llm;
		return (server != null) ? server.baseUrl() : null;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.heartbeat != null) {
			this.heartbeat.dispose();
			this.heartbeat = null;
		}
		if (this.llm != null) {
			this.llm.closeQuietly();
			this.llm = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public boolean isPauseable() {
		// Stopping closes the embedded test LLM for good; a paused test context could not restart it.
		return false;
	}

}
