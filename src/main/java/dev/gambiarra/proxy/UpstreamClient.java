package dev.gambiarra.proxy;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.ReadTimeoutHandler;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The pooled Reactor Netty client that talks to participants, with the three proxy timeouts applied at the
 * transport: connect, first byte (response headers) and idle gap between body chunks.
 */
@Component
class UpstreamClient implements DisposableBean {

	private final ConnectionProvider pool;

	private final WebClient webClient;

	UpstreamClient(ProxyProperties properties, WebClient.Builder builder) {
		this.pool = ConnectionProvider.builder("gambiarra-upstream")
			.maxConnections(properties.maxConnections())
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(properties.connectTimeout().plusSeconds(5))
			.maxIdleTime(properties.maxIdleTime())
			.build();
		long idleMillis = properties.idleTimeout().toMillis();
		HttpClient httpClient = HttpClient.create(this.pool)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
			.responseTimeout(properties.firstByteTimeout())
			.doOnResponse((response, connection) -> connection
				.addHandlerLast("gambiarra-idle", new ReadTimeoutHandler(idleMillis, TimeUnit.MILLISECONDS)));
		this.webClient = builder.clientConnector(new ReactorClientHttpConnector(httpClient)).build();
	}

	WebClient webClient() {
		return this.webClient;
	}

	@Override
	public void destroy() {
		this.pool.dispose();
	}

}
