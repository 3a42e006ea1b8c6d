package dev.gambiarra.tunnel;

import dev.gambiarra.support.RedisStoreTest;

/** The same tunnel behaviour with rooms and participants kept in Redis (one hub: the tunnel's owner). */
@RedisStoreTest
class TunnelRedisTest extends TunnelTest {

}
