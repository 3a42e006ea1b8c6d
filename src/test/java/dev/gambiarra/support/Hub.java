package dev.gambiarra.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.GambiarraApplication;

/**
 * A whole hub started by a test (its own Spring context, on 127.0.0.1 and a random port), for tests that need
 * several hubs at once, or to stop and start one.
 */
public final class Hub implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final WebTestClient client;

	private Hub(ConfigurableApplicationContext context) {
		this.context = context;
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port())
			.responseTimeout(java.time.Duration.ofSeconds(30))
			.build();
	}

	/** A hub on the Redis store at {@code redisUrl}, under {@code prefix}, with extra {@code name=value} properties. */
	public static Hub onRedis(String redisUrl, String prefix, String... properties) {
		boolean portGiven = Arrays.stream(properties).anyMatch((property) -> property.startsWith("server.port="));
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--gambiarra.demo.enabled=false", "--gambiarra.mdns.enabled=false", "--gambiarra.console.enabled=false",
				"--gambiarra.store.type=redis", "--gambiarra.store.redis.url=" + redisUrl,
				"--gambiarra.store.redis.key-prefix=" + prefix));
		if (portGiven) {
			args.remove(0);
		}
		for (String property : properties) {
			args.add("--" + property);
		}
		return new Hub(builder().run(args.toArray(String[]::new)));
	}

	/**
	 * A hub application with Reactor Netty loops of its own. With Boot's default (the global loops), closing one
	 * hub would dispose the loops every other server in the test JVM runs on: cached test hubs, fake participants.
	 */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(GambiarraApplication.class)
			.initializers((context) -> ((GenericApplicationContext) context).registerBean("reactorResourceFactory",
					ReactorResourceFactory.class, () -> {
						ReactorResourceFactory factory = new ReactorResourceFactory();
						factory.setUseGlobalResources(false);
						// Its loops stop at once when it closes: the default quiet period (2 s) per hub, for every
						// hub still open when the test JVM exits, outlasted surefire's 30 s wait for the exit.
						factory.setShutdownQuietPeriod(Duration.ZERO);
						return factory;
					}));
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public WebTestClient client() {
		return this.client;
	}

	public HubClient api() {
		return new HubClient(this.client);
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	public JsonNode get(String uri) {
		return this.client.get().uri(uri).exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult()
			.getResponseBody();
	}

	public WebTestClient.ResponseSpec post(String uri, Map<String, Object> body, String bearer) {
		return this.client.post()
			.uri(uri)
			.contentType(MediaType.APPLICATION_JSON)
			.headers((headers) -> {
				if (bearer != null) {
					headers.setBearerAuth(bearer);
				}
			})
			.bodyValue(body)
			.exchange();
	}

	public boolean isRunning() {
		return this.context.isActive();
	}

	@Override
	public void close() {
		if (this.context.isActive()) {
			this.context.close();
		}
	}

}
