package dev.gambiarra.rooms;

import com.fasterxml.jackson.annotation.JsonValue;

/** Presence of a participant as clients see it. */
public enum ParticipantStatus {

	ONLINE, BUSY, OFFLINE;

	@JsonValue
	public String wireName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
