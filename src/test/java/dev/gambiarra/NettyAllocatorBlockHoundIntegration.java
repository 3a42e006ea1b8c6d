package dev.gambiarra;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Netty 4.2's adaptive allocator takes a {@code StampedLock} write lock when it grows its magazines under
 * contention (hundreds of concurrent streams). The lock only guards its own bookkeeping, so BlockHound's report is
 * a false positive (armeria#6344 allows the same). Allowed in that one method only.
 */
public class NettyAllocatorBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
	}

}
