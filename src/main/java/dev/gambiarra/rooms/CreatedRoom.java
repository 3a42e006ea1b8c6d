package dev.gambiarra.rooms;

/** Answer to {@code POST /rooms}: the room and the owner's secret {@code hostId}, shown this once. */
public record CreatedRoom(RoomPublic room, String hostId) {

}
