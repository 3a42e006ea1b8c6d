package dev.gambiarra.proxy;

import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Puts {@link RelayConnection} on every HTTP/1.1 connection of the web server, right after its HTTP codec. A
 * connection without that codec (HTTP/2) keeps the relay on Reactor Netty ({@link RelayRoute}).
 */
@Component
class RelayPipeline implements NettyServerCustomizer {

	private final RelayRoute route;

	private final RelayDrain drain;

	RelayPipeline(RelayRoute route, RelayDrain drain) {
		this.route = route;
		this.drain = drain;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, remote) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
				channel.pipeline()
					.addAfter(NettyPipeline.HttpCodec, RelayConnection.NAME, new RelayConnection(this.route, this.drain));
			}
		});
	}

}
