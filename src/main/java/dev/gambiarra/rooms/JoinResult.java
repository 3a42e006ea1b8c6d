package dev.gambiarra.rooms;

/**
 * Answer to a join: the participant, the room id, and the participant's own token for leave, health and re-join.
 */
public record JoinResult(Participant participant, String roomId, String participantToken) {

}
