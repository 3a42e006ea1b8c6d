package dev.gambiarra.events;

import dev.gambiarra.support.RedisStoreTest;

/** {@link RoomEventStreamTest} with rooms, participants and events kept in Redis. */
@RedisStoreTest
class RoomEventStreamRedisTest extends RoomEventStreamTest {

}
