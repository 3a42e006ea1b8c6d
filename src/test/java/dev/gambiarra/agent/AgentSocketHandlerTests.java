package dev.gambiarra.agent;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.HandshakeInfo;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may open the agent socket when the operator sets a token. */
class AgentSocketHandlerTests {

	static AgentProperties properties(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("gambiarra.agent",
				AgentProperties.class);
	}

	static HandshakeInfo handshake(String uri, HttpHeaders headers) {
		return new HandshakeInfo(URI.create(uri), headers, Mono.empty(), null);
	}

	@Test
	void anyoneMayConnectWithoutAToken() {
		AgentSocketHandler handler = new AgentSocketHandler(null, properties(Map.of()), JsonMapper.builder().build());
		assertThat(handler.authorized(handshake("ws://h/agent", new HttpHeaders()))).isTrue();
	}

	@Test
	void theTokenComesAsABearerOrAQueryParameter() {
		AgentSocketHandler handler = new AgentSocketHandler(null, properties(Map.of("gambiarra.agent.token", "s3")),
				JsonMapper.builder().build());
		HttpHeaders bearer = new HttpHeaders();
		bearer.setBearerAuth("s3");
		HttpHeaders wrong = new HttpHeaders();
		wrong.setBearerAuth("s4");
		assertThat(handler.authorized(handshake("ws://h/agent", bearer))).isTrue();
		assertThat(handler.authorized(handshake("ws://h/agent?token=s3", new HttpHeaders()))).isTrue();
		assertThat(handler.authorized(handshake("ws://h/agent", wrong))).isFalse();
		assertThat(handler.authorized(handshake("ws://h/agent?token=s4", new HttpHeaders()))).isFalse();
		assertThat(handler.authorized(handshake("ws://h/agent", new HttpHeaders()))).isFalse();
	}

	@Test
	void defaultsAreSane() {
		AgentProperties defaults = properties(Map.of());
		assertThat(defaults.path()).isEqualTo("/agent");
		assertThat(defaults.maxSessions()).isEqualTo(100);
		assertThat(defaults.idleTimeout().toMinutes()).isEqualTo(10);
		assertThat(defaults.pluginDir()).isNull();
	}

}
