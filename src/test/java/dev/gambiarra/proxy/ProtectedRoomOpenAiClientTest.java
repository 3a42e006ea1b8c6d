package dev.gambiarra.proxy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The official OpenAI Java SDK against a protected room: its api key is the room password. The participant sees
 * neither the password nor the SDK's Authorization header, only its own api key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.demo.enabled=false", "gambiarra.mdns.enabled=false",
				"gambiarra.console.enabled=false", "gambiarra.admin-token=the-admin-token",
				"logging.level.dev.gambiarra=DEBUG" })
@AutoConfigureWebTestClient(timeout = "30s")
class ProtectedRoomOpenAiClientTest {

	static final String PASSWORD = "sdk-room-password";

	@RegisterExtension
	static final FakeLlm upstream = FakeLlm.start();

	@Autowired
	WebTestClient webClient;

	@LocalServerPort
	int port;

	String code;

	@BeforeEach
	void setUp() {
		upstream.reset();
		HubClient hub = new HubClient(this.webClient);
		this.code = hub.createRoom(Map.of("name", "sdk", "password", PASSWORD)).code();
		hub.join(this.code, Map.of("id", "ana-gpu", "nickname", "ana", "model", "llama3", "endpoint",
				upstream.endpoint(), "password", PASSWORD, "apiKey", "sk-upstream-only"));
	}

	private OpenAIClient client(String apiKey) {
		return OpenAIOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port + "/rooms/" + this.code + "/v1")
			.apiKey(apiKey)
			.maxRetries(0)
			.build();
	}

	@Test
	void thePasswordAsApiKeyListsModelsAndChats() {
		OpenAIClient openAi = client(PASSWORD);
		try {
			List<Model> models = openAi.models().list().data();
			assertThat(models).extracting(Model::id).containsExactly("ana-gpu");
			ChatCompletion completion = openAi.chat()
				.completions()
				.create(ChatCompletionCreateParams.builder().model("model:llama3").addUserMessage("hello").build());
			assertThat(completion.choices().get(0).message().content()).contains("Hello from fake");
			try (StreamResponse<ChatCompletionChunk> stream = openAi.chat()
				.completions()
				.createStreaming(ChatCompletionCreateParams.builder().model("*").addUserMessage("hi").build())) {
				String text = stream.stream()
					.flatMap((chunk) -> chunk.choices().stream())
					.map((choice) -> choice.delta().content().orElse(""))
					.collect(Collectors.joining());
				assertThat(text).isEqualTo("Hello from fake");
			}
		}
		finally {
			openAi.close();
		}
		assertThat(upstream.received()).hasSize(2).allSatisfy((received) -> {
			assertThat(received.headers().getAll("Authorization")).containsExactly("Bearer sk-upstream-only");
			assertThat(received.headers().toString()).doesNotContain(PASSWORD);
		});
	}

	@Test
	void aWrongApiKeyIsAnAuthenticationErrorTheSdkUnderstands() {
		OpenAIClient openAi = client("not-the-password");
		try {
			assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(() -> openAi.chat()
				.completions()
				.create(ChatCompletionCreateParams.builder().model("*").addUserMessage("hello").build()))
				.withMessageContaining("Invalid password");
			assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(() -> openAi.models().list());
		}
		finally {
			openAi.close();
		}
		assertThat(upstream.received()).isEmpty();
	}

}
