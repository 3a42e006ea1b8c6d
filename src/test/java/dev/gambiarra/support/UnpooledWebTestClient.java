package dev.gambiarra.support;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Gives every test's {@code WebTestClient} its own connection per request instead of Reactor Netty's shared pool
 * (16 connections per server on this machine). A test that checks only a status leaves that response's body
 * unread, which keeps a pooled connection checked out; enough of those across the classes sharing one context
 * made a later request wait for a free connection until it timed out. Picked up by component scanning, because
 * test classes live under the application's package.
 */
@Component
class UnpooledWebTestClient implements WebTestClientBuilderCustomizer {

	@Override
	public void customize(WebTestClient.Builder builder) {
		builder.clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())));
	}

}
