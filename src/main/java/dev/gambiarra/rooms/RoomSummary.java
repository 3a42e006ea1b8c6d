package dev.gambiarra.rooms;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A room in {@code GET /rooms}: its public fields, how many participants it holds, and whether it is protected. */
public record RoomSummary(String id, String code, String name, String hostId, long createdAt, int participantCount,
		@JsonProperty("protected") boolean protectedRoom) {

}
