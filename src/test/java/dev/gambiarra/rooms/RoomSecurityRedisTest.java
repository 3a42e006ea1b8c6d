package dev.gambiarra.rooms;

import dev.gambiarra.support.RedisStoreTest;

/** {@link RoomSecurityTest} with rooms, participants and events kept in Redis. */
@RedisStoreTest
class RoomSecurityRedisTest extends RoomSecurityTest {

}
