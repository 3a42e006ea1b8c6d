package dev.gambiarra.rooms;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.jspecify.annotations.Nullable;

/**
 * A registered LLM server, as the wire contract shows it. Immutable: every change replaces the record atomically in
 * its room, so readers never see a half-written participant. Secrets ({@code apiKey}, {@code token}) never
 * serialize.
 *
 * @param endpoint base URL without {@code /v1}; the hub calls {@code {endpoint}/v1/chat/completions}
 * @param apiKey sent upstream as a bearer token, never shown
 * @param token the participant's own secret for leave, health and re-join
 * @param maxConcurrent requests this participant serves at once
 */
public record Participant(String id, String nickname, String model, String endpoint, Map<String, Object> config,
		Map<String, Object> specs, ParticipantStatus status, long joinedAt, long lastSeen,
		@JsonIgnore @Nullable String apiKey, @JsonIgnore String token, @JsonIgnore int maxConcurrent) {

	/** The {@code endpoint} of a participant reached through its own tunnel (docs/tunnel-protocol.md). */
	public static final String TUNNEL = "tunnel";

	public Participant {
		config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
		specs = Collections.unmodifiableMap(new LinkedHashMap<>(specs));
	}

	@JsonIgnore
	public boolean isOnline() {
		return this.status == ParticipantStatus.ONLINE;
	}

	/** Reached through the tunnel it opened to the hub; the hub never dials it. */
	@JsonIgnore
	public boolean isTunnel() {
		return TUNNEL.equals(this.endpoint);
	}

	@JsonIgnore
	public boolean isOffline() {
		return this.status == ParticipantStatus.OFFLINE;
	}

	/** Without the secrets, so a participant that ends up in a log line or an error message leaks nothing. */
	@Override
	public String toString() {
		return "Participant[id=" + this.id + ", nickname=" + this.nickname + ", model=" + this.model + ", endpoint="
				+ this.endpoint + ", status=" + this.status + ", maxConcurrent=" + this.maxConcurrent + ", apiKey="
				+ ((this.apiKey != null) ? "(set)" : "(none)") + "]";
	}

	public Participant withStatus(ParticipantStatus newStatus) {
		return new Participant(this.id, this.nickname, this.model, this.endpoint, this.config, this.specs, newStatus,
				this.joinedAt, this.lastSeen, this.apiKey, this.token, this.maxConcurrent);
	}

	public Participant withLastSeen(long now) {
		return new Participant(this.id, this.nickname, this.model, this.endpoint, this.config, this.specs, this.status,
				this.joinedAt, now, this.apiKey, this.token, this.maxConcurrent);
	}

	public Participant seen(long now) {
		return new Participant(this.id, this.nickname, this.model, this.endpoint, this.config, this.specs,
				ParticipantStatus.ONLINE, this.joinedAt, now, this.apiKey, this.token, this.maxConcurrent);
	}

}
