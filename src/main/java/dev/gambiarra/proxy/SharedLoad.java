package dev.gambiarra.proxy;

import java.util.function.Consumer;

import reactor.core.publisher.Mono;

/**
 * In-flight requests of the other hubs that share the store, so least-busy routing and {@code maxConcurrent} count
 * every hub's requests. The gossiped counts ({@link #elsewhere}) are read locally; the cap itself is checked in the
 * store ({@link #take}), atomically across hubs, when {@link #exact()} says so. With the in-memory store there are no
 * other hubs: {@link #NONE}, which never takes a slot anywhere.
 */
interface SharedLoad {

	SharedLoad NONE = new SharedLoad() {

		@Override
		public int elsewhere(String room, String participantId) {
			return 0;
		}

		@Override
		public void changed(String room, String participantId, int inFlight) {
		}

		@Override
		public void onFreed(Consumer<String> listener) {
		}

		@Override
		public boolean exact() {
			return false;
		}

		@Override
		public Mono<Boolean> take(String room, String participantId, long slot, int maxConcurrent) {
			return Mono.just(true);
		}

		@Override
		public void release(String room, String participantId, long slot) {
		}

		@Override
		public long retryMillis() {
			return Long.MAX_VALUE;
		}

	};

	/** Requests the other hubs have in flight on this participant, as last heard (expired ones not counted). */
	int elsewhere(String room, String participantId);

	/** This hub now has {@code inFlight} requests on the participant; tells the other hubs. */
	void changed(String room, String participantId, int inFlight);

	/** Called with a room code whenever another hub's requests there ended or expired (waiters may go now). */
	void onFreed(Consumer<String> listener);

	/** Whether a lease must {@link #take} its slot in the shared store before it counts as granted. */
	boolean exact();

	/**
	 * Takes one of the participant's {@code maxConcurrent} slots in the shared store for this hub's lease
	 * {@code slot} (a number this hub never uses twice), atomically across hubs: emits {@code true} when it was free,
	 * {@code false} when every slot is held by a live lease of some hub; fails when the store cannot answer in time.
	 * A taken slot is renewed until {@link #release}d and expires if its hub stops renewing it.
	 */
	Mono<Boolean> take(String room, String participantId, long slot, int maxConcurrent);

	/** Gives a slot back (not awaited); a slot that was never taken is ignored. */
	void release(String room, String participantId, long slot);

	/** How long a request refused by {@link #take} waits at most before trying again without a freed notice. */
	long retryMillis();

}
