package dev.gambiarra.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;

/**
 * The proxy's observer: {@link #begin} a {@link RelayTrace} when a request is forwarded, feed it what the relay
 * sees, and it records the meters, the stats, the {@code llm:complete} event and the one log line per request.
 */
@Component
public class ProxyMetrics {

	/** One INFO line per proxied request; turn it off with {@code logging.level.dev.gambiarra.requests=warn}. */
	static final Logger requestLog = LoggerFactory.getLogger("dev.gambiarra.requests");

	private final RequestStats stats;

	private final EventBus events;

	ProxyMetrics(RequestStats stats, EventBus events) {
		this.stats = stats;
		this.events = events;
	}

	/**
	 * Starts observing one forwarded request.
	 * @param operation the OpenAI operation ({@code chat/completions}, {@code completions}, {@code embeddings})
	 * @param stream whether the client asked for a streamed answer
	 */
	public RelayTrace begin(Room room, Participant participant, String operation, boolean stream, String requestId) {
		ParticipantMeters participantMeters = this.stats.of(room, participant);
		participantMeters.started();
		boolean generates = !operation.equals("embeddings");
		return new RelayTrace(this, participantMeters, room.code(), participant.id(), participant.model(), operation,
				stream, generates, requestId);
	}

	void publish(HubEvent event) {
		this.events.publish(event);
	}

}
