package dev.gambiarra.rooms;

import dev.gambiarra.support.RedisStoreTest;

/** The same contract rows, with rooms and participants kept in Redis. */
@RedisStoreTest
class CompatibilitySurfaceRedisTest extends CompatibilitySurfaceTest {

}
