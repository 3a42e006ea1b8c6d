package dev.gambiarra.agent.provider;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.ReadTimeoutHandler;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.gambiarra.outbound.EndpointPolicy;
import dev.gambiarra.outbound.RefusedEndpointException;
import dev.gambiarra.proxy.RoomCompletions;
import dev.gambiarra.resilience.CircuitBreaker;
import dev.gambiarra.web.HubException;

/**
 * Builds a session's {@link ProviderChain} from what the client asked for, checking it first (a room must exist and
 * its password match; a base URL must pass the hub's {@link EndpointPolicy}, the same one participant endpoints
 * pass, host names resolved). Its HTTP client carries the policy's address guard, so a name that resolves to a
 * denied address when the connection opens is refused then. Circuit breakers are shared: every session that uses
 * the same provider sees it paused after repeated failures.
 */
@Component
public class ProviderFactory implements DisposableBean {

	private static final int MAX_BREAKERS = 1024;

	private final RoomCompletions rooms;

	private final ProviderProperties properties;

	private final JsonMapper json;

	private final EndpointPolicy endpoints;

	private final Clock clock;

	private final ConnectionProvider pool;

	private final WebClient client;

	private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

	ProviderFactory(RoomCompletions rooms, ProviderProperties properties, JsonMapper json, WebClient.Builder builder,
			EndpointPolicy endpoints, Clock clock) {
		this.rooms = rooms;
		this.properties = properties;
		this.json = json;
		this.endpoints = endpoints;
		this.clock = clock;
		this.pool = ConnectionProvider.builder("gambiarra-agent")
			.maxConnections(properties.maxConnections())
			.pendingAcquireTimeout(properties.connectTimeout().plusSeconds(5))
			.build();
		long idleMillis = properties.idleTimeout().toMillis();
		HttpClient http = endpoints.guard(HttpClient.create(this.pool))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
			.responseTimeout(properties.firstTokenTimeout())
			.doOnResponse((response, connection) -> connection
				.addHandlerLast("gambiarra-agent-idle", new ReadTimeoutHandler(idleMillis, TimeUnit.MILLISECONDS)));
		this.client = builder.clone().clientConnector(new ReactorClientHttpConnector(http)).build();
	}

	/** The chain for {@code specs} (first preferred); fails with {@code invalid_provider} on a bad spec. */
	public Mono<ProviderChain> chain(List<ProviderSpec> specs, String client) {
		if (specs.isEmpty()) {
			return Mono.error(invalid("provider is required"));
		}
		return Flux.fromIterable(specs)
			.concatMap((spec) -> create(spec, client))
			.collectList()
			.map((providers) -> {
				List<ProviderChain.Entry> entries = new ArrayList<>();
				for (ChatProvider provider : providers) {
					entries.add(new ProviderChain.Entry(provider, breaker(provider.describe())));
				}
				return new ProviderChain(entries, this.properties);
			});
	}

	/** @param client the caller's address, for the room password throttle */
	Mono<ChatProvider> create(ProviderSpec spec, String client) {
		return Mono.defer(() -> switch (spec.kind()) {
			case "room" -> room(spec, client);
			case "openai" -> openAi(spec);
			case "test" -> test(spec);
			default -> Mono.error(invalid("provider kind must be room, openai or test"));
		});
	}

	private Mono<ChatProvider> room(ProviderSpec spec, String client) {
		String code = spec.room();
		if (code == null || code.isBlank()) {
			return Mono.error(invalid("a room provider needs \"room\""));
		}
		String room = code.strip().toUpperCase(Locale.ROOT);
		String model = (spec.model() == null || spec.model().isBlank()) ? "*" : spec.model();
		return this.rooms.authorize(room, spec.password(), client)
			.onErrorMap(HubException.class, (ex) -> invalid("room " + room + ": " + ex.getMessage()))
			.thenReturn(new RoomProvider(this.rooms, room, model, this.json));
	}

	private Mono<ChatProvider> openAi(ProviderSpec spec) {
		if (!this.properties.allowClientEndpoints()) {
			throw invalid("this hub does not allow client-chosen model servers; use a room");
		}
		String model = spec.model();
		if (model == null || model.isBlank()) {
			throw invalid("an openai provider needs \"model\"");
		}
		String url = baseUrl(spec.baseUrl());
		return resolvesToAllowed(url)
			.thenReturn(new OpenAiProvider(this.client, url, spec.apiKey(), model, "openai", this.json));
	}

	private Mono<ChatProvider> test(ProviderSpec spec) {
		String configured = this.properties.testLlmUrl();
		if (configured == null || configured.isBlank()) {
			throw invalid("the test LLM is not configured on this hub (gambiarra.agent.provider.test-llm-url)");
		}
		String model = (spec.model() == null || spec.model().isBlank()) ? this.properties.testLlmModel()
				: spec.model();
		String url = baseUrl(configured);
		return resolvesToAllowed(url).thenReturn(new OpenAiProvider(this.client, url, null, model, "test", this.json));
	}

	/** An http(s) URL the endpoint policy allows, without a trailing slash; its host name is checked later. */
	String baseUrl(@Nullable String url) {
		if (url == null || url.isBlank()) {
			throw invalid("an openai provider needs \"baseUrl\"");
		}
		try {
			return this.endpoints.check(url);
		}
		catch (RefusedEndpointException ex) {
			throw refused(ex);
		}
	}

	/** Completes when the URL's host name resolves only to addresses the endpoint policy allows. */
	private Mono<Void> resolvesToAllowed(String url) {
		return this.endpoints.checkAddresses(url).onErrorMap(RefusedEndpointException.class, ProviderFactory::refused);
	}

	private static ProviderException refused(RefusedEndpointException ex) {
		return invalid(switch (ex.reason()) {
			case NOT_HTTP_URL -> "baseUrl must be an http(s) URL such as http://127.0.0.1:11434/v1";
			case AMBIGUOUS_NUMBER -> "baseUrl: write an IPv4 address as four decimal numbers";
			case NOT_ALLOWED -> "baseUrl points to an address this hub may not call (link-local, cloud metadata "
					+ "or outside the allowed networks)";
		});
	}

	private CircuitBreaker breaker(String key) {
		if (this.breakers.size() >= MAX_BREAKERS && !this.breakers.containsKey(key)) {
			this.breakers.values().removeIf((breaker) -> !breaker.isOpen());
		}
		return this.breakers.computeIfAbsent(key, (k) -> new CircuitBreaker(this.properties.breakerFailures(),
				this.properties.breakerCooldown(), this.clock));
	}

	private static ProviderException invalid(String message) {
		return new ProviderException("invalid_provider", "Invalid provider: " + message, false);
	}

	@Override
	public void destroy() {
		this.pool.dispose();
	}

}
