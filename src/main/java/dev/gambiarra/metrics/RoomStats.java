package dev.gambiarra.metrics;

import java.util.List;

/** The {@code GET /rooms/{code}/stats} answer: a snapshot of every participant of a room. */
public record RoomStats(String room, long timestamp, List<ParticipantSnapshot> participants) {

}
