package dev.gambiarra.outbound;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

import dev.gambiarra.outbound.EndpointPolicy;

/**
 * Checks the address every outbound connection is about to open, after DNS resolution, against the endpoint
 * policy; a refused address fails the connect without a packet being sent. This closes the gap between the check of
 * a URL (at join, at agent session start) and the moment of connecting (a host name that re-resolves to the metadata
 * service). Installed with {@link EndpointPolicy#guard}.
 */
@ChannelHandler.Sharable
public final class AddressGuard extends ChannelOutboundHandlerAdapter {

	static final String NAME = "gambiarra-address-guard";

	private final EndpointPolicy policy;

	public AddressGuard(EndpointPolicy policy) {
		this.policy = policy;
	}

	@Override
	public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress,
			ChannelPromise promise) throws Exception {
		if (remoteAddress instanceof InetSocketAddress inet && inet.getAddress() != null
				&& !this.policy.allows(inet.getAddress())) {
			promise.setFailure(new RefusedAddressException());
			return;
		}
		super.connect(ctx, remoteAddress, localAddress, promise);
	}

	/** The address a connection was about to open is not one this hub may call. */
	public static final class RefusedAddressException extends ConnectException {

		RefusedAddressException() {
			super("address not allowed on this hub");
		}

	}

}
