package dev.gambiarra.rooms;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * A room and its participants, held in memory. Participants are immutable records swapped atomically in a
 * concurrent map, so a request routed while someone joins or leaves sees either the old or the new state.
 */
public final class Room {

	private final String id;

	private final String code;

	private final String name;

	private final String hostSecret;

	private final String publicHostId;

	private final long createdAt;

	private final @Nullable String passwordHash;

	private final AtomicReference<byte @Nullable []> passwordProof = new AtomicReference<>();

	final Map<String, Participant> participants = new ConcurrentHashMap<>();

	Room(String id, String code, String name, String hostSecret, String publicHostId, long createdAt,
			@Nullable String passwordHash) {
		this.id = id;
		this.code = code;
		this.name = name;
		this.hostSecret = hostSecret;
		this.publicHostId = publicHostId;
		this.createdAt = createdAt;
		this.passwordHash = passwordHash;
	}

	public String id() {
		return this.id;
	}

	public String code() {
		return this.code;
	}

	public String name() {
		return this.name;
	}

	public long createdAt() {
		return this.createdAt;
	}

	public boolean isProtected() {
		return this.passwordHash != null;
	}

	/** The owner's secret; compare it with {@link RoomService#isHost(Room, String)}, never print it. */
	String hostSecret() {
		return this.hostSecret;
	}

	@Nullable String passwordHash() {
		return this.passwordHash;
	}

	AtomicReference<byte @Nullable []> passwordProof() {
		return this.passwordProof;
	}

	public Collection<Participant> participants() {
		return this.participants.values();
	}

	public @Nullable Participant participant(String participantId) {
		return this.participants.get(participantId);
	}

	/**
	 * The room as everyone sees it. {@code hostId} here is a public host identifier, not the owner's secret:
	 * the secret is returned once, to the creator.
	 */
	public RoomPublic toPublic() {
		return new RoomPublic(this.id, this.code, this.name, this.publicHostId, this.createdAt);
	}

	public RoomSummary toSummary() {
		return new RoomSummary(this.id, this.code, this.name, this.publicHostId, this.createdAt,
				this.participants.size(), isProtected());
	}

	/** The room as its creator sees it, right after creating it. */
	RoomPublic toOwnerView() {
		return new RoomPublic(this.id, this.code, this.name, this.hostSecret, this.createdAt);
	}

}
