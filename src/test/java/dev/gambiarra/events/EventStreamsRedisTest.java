package dev.gambiarra.events;

import dev.gambiarra.support.RedisStoreTest;

/** {@link EventStreamsTest} with rooms, participants and events kept in Redis. */
@RedisStoreTest
class EventStreamsRedisTest extends EventStreamsTest {

}
