package dev.gambiarra.proxy;

import dev.gambiarra.support.RedisStoreTest;

/** {@link RoutingTest} with rooms, participants and events kept in Redis. */
@RedisStoreTest
class RoutingRedisTest extends RoutingTest {

}
