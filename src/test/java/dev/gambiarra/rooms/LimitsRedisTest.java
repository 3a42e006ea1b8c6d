package dev.gambiarra.rooms;

import dev.gambiarra.support.RedisStoreTest;

/** {@link LimitsTest} with rooms, participants and events kept in Redis. */
@RedisStoreTest
class LimitsRedisTest extends LimitsTest {

}
