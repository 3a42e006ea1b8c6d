package dev.gambiarra.proxy;

import java.util.function.Consumer;

/**
 * In-flight requests of the other hubs that share the store, so least-busy routing and {@code maxConcurrent} count
 * every hub's requests. Reads are local (no remote call on the request path); changes are sent without waiting.
 * With the in-memory store there are no other hubs: {@link #NONE}.
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

	};

	/** Requests the other hubs have in flight on this participant, as last heard (expired ones not counted). */
	int elsewhere(String room, String participantId);

	/** This hub now has {@code inFlight} requests on the participant; tells the other hubs. */
	void changed(String room, String participantId, int inFlight);

	/** Called with a room code whenever another hub's requests there ended or expired (waiters may go now). */
	void onFreed(Consumer<String> listener);

}
