package dev.gambiarra.rooms;

/** A room as anyone may see it: no password, no hash. */
public record RoomPublic(String id, String code, String name, String hostId, long createdAt) {

}
