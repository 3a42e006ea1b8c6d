package dev.gambiarra.tunnel;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Which hub holds each tunnel, when several hubs share the store: the hub a tunnel opens on claims it, the claim goes
 * when that tunnel closes (only if it is still that tunnel's: a newer tunnel on another hub keeps its claim), and
 * every hub keeps a local view of the claims, so routing reads it without a remote call. The other hubs send a
 * tunnel participant's requests to the hub in its claim, authenticated with the club's {@link #secret()}. With the
 * in-memory store there are no other hubs: {@link #NONE}.
 */
public interface TunnelOwners {

	TunnelOwners NONE = new TunnelOwners() {

		@Override
		public @Nullable String elsewhere(String roomCode, String participantId) {
			return null;
		}

		@Override
		public Mono<Void> claim(String roomCode, String participantId, String claim) {
			return Mono.empty();
		}

		@Override
		public Mono<Boolean> release(String roomCode, String participantId, String claim) {
			return Mono.just(true);
		}

		@Override
		public @Nullable String secret() {
			return null;
		}

	};

	/**
	 * The base URL of the other hub that holds the participant's tunnel, as this hub last heard it; {@code null} when
	 * no other hub claims it. Never shown to clients.
	 */
	@Nullable String elsewhere(String roomCode, String participantId);

	/** Records that this hub holds the participant's tunnel, under {@code claim} (unique to that tunnel). */
	Mono<Void> claim(String roomCode, String participantId, String claim);

	/**
	 * Removes the record if it is still {@code claim}; true if it was (the tunnel that closed was the participant's
	 * current one, so the participant is gone), false if a newer tunnel (here or on another hub) claimed it since.
	 */
	Mono<Boolean> release(String roomCode, String participantId, String claim);

	/** What the hubs of this club present to each other's internal relay endpoint; {@code null} when alone. */
	@Nullable String secret();

}
