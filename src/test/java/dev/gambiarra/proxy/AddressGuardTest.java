package dev.gambiarra.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import dev.gambiarra.config.SecurityProperties;
import dev.gambiarra.outbound.AddressGuard;
import dev.gambiarra.outbound.EndpointPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/** Every upstream connection is checked with the address DNS gave at connect time, not only at join. */
class AddressGuardTest {

	static final EndpointPolicy POLICY = new EndpointPolicy(new SecurityProperties(
			List.of("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128"), List.of(), true, Duration.ofSeconds(1), 10,
			Duration.ofMinutes(1), 100));

	@Test
	void aConnectToADeniedAddressFailsBeforeAnyPacket() {
		EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter(), new AddressGuard(POLICY));
		ChannelFuture connect = channel.connect(new InetSocketAddress("169.254.169.254", 80));
		assertThat(connect.isDone()).isTrue();
		assertThat(connect.cause()).isInstanceOf(AddressGuard.RefusedAddressException.class);
		assertThat(ProxyService.describe(connect.cause())).isEqualTo("participant address not allowed on this hub");
		channel.finishAndReleaseAll();
	}

	@Test
	void aConnectToAnAllowedAddressGoesThrough() {
		EmbeddedChannel channel = new EmbeddedChannel(new AddressGuard(POLICY));
		ChannelFuture connect = channel.connect(new InetSocketAddress("127.0.0.1", 80));
		assertThat(connect.isSuccess()).isTrue();
		channel.finishAndReleaseAll();
	}

}
