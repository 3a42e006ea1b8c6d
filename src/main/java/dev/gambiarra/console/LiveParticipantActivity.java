package dev.gambiarra.console;

import java.util.OptionalDouble;
import java.util.OptionalInt;

import org.springframework.stereotype.Component;

import dev.gambiarra.metrics.ParticipantSnapshot;
import dev.gambiarra.metrics.RequestStats;
import dev.gambiarra.proxy.LoadBalancer;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;

/**
 * The admin console's live columns: in-flight requests as the {@link LoadBalancer} counts them, tokens per second
 * as {@link RequestStats} measured them (mean over the participant's successful answers). Empty for a participant
 * the hub does not know, and tokens/s stays empty until a successful answer carried tokens.
 */
@Component
class LiveParticipantActivity implements ParticipantActivity {

	private final LoadBalancer balancer;

	private final RequestStats stats;

	private final RoomService rooms;

	LiveParticipantActivity(LoadBalancer balancer, RequestStats stats, RoomService rooms) {
		this.balancer = balancer;
		this.stats = stats;
		this.rooms = rooms;
	}

	@Override
	public OptionalInt inFlight(String roomCode, String participantId) {
		if (!registered(roomCode, participantId)) {
			return OptionalInt.empty();
		}
		return OptionalInt.of(this.balancer.snapshot(roomCode, participantId).inFlight());
	}

	@Override
	public OptionalDouble tokensPerSecond(String roomCode, String participantId) {
		Room room = this.rooms.find(roomCode).orElse(null);
		if (room == null) {
			return OptionalDouble.empty();
		}
		for (ParticipantSnapshot snapshot : this.stats.snapshot(room).participants()) {
			if (snapshot.participantId().equals(participantId) && snapshot.avgTokensPerSecond() != null) {
				return OptionalDouble.of(snapshot.avgTokensPerSecond());
			}
		}
		return OptionalDouble.empty();
	}

	private boolean registered(String roomCode, String participantId) {
		return this.rooms.find(roomCode).map((room) -> room.participant(participantId) != null).orElse(false);
	}

}
