package dev.gambiarra.proxy;

import dev.gambiarra.support.RedisStoreTest;

/** {@link ProxyTest} with rooms, participants and events kept in Redis. */
@RedisStoreTest
class ProxyRedisTest extends ProxyTest {

}
