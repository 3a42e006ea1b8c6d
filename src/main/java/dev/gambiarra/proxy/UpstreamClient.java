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

import dev.gambiarra.participants.EndpointPolicy;

/**
 * The pooled Reactor Netty client that talks to participants, with the three proxy timeouts applied at the
 * transport: connect, first byte (response headers) and idle gap between body chunks.
 */
@Component
class UpstreamClient implements DisposableBean {

	private final ConnectionProvider pool;

	private final WebClient webClient;

	UpstreamClient(ProxyProperties properties, EndpointPolicy endpoints) {
		this.pool = ConnectionProvider.builder("gambiarra-upstream")
			.maxConnections(properties.maxConnections())
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(properties.connectTimeout().plusSeconds(5))
			.maxIdleTime(properties.maxIdleTime())
			.build();
		long idleMillis = properties.idleTimeout().toMillis();
		AddressGuard guard = new AddressGuard(endpoints);
		HttpClient httpClient = HttpClient.create(this.pool)
			.doOnChannelInit((observer, channel, remote) -> channel.pipeline().addFirst(AddressGuard.NAME, guard))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
			.responseTimeout(properties.firstByteTimeout())
			.doOnResponse((response, connection) -> connection
				.addHandlerLast("gambiarra-idle", new ReadTimeoutHandler(idleMillis, TimeUnit.MILLISECONDS)));
		// A plain builder on purpose: Boot's adds an observation per exchange (http.client.requests tagged by each
		// participant's URI), which costs more than the relay itself; the hub measures upstream calls in metrics/.
		this.webClient = WebClient.builder().clientConnector(new ReactorClientHttpConnector(httpClient)).build();
	}

	WebClient webClient() {
		return this.webClient;
	}

	@Override
	public void destroy() {
		this.pool.dispose();
	}

}
