package dev.gambiarra.proxy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;
import dev.gambiarra.support.HubTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The official OpenAI Java SDK, pointed at a room's base URL, works as it would against OpenAI. */
@HubTest
class OpenAiJavaClientTest {

	@RegisterExtension
	static final FakeLlm upstream = FakeLlm.start();

	@Autowired
	WebTestClient webClient;

	@LocalServerPort
	int port;

	OpenAIClient openAi;

	String code;



	@BeforeEach
	void setUp() {
		HubClient hub = new HubClient(this.webClient);
		this.code = hub.createRoom("sdk").code();
		hub.join(this.code, Map.of("id", "ana-gpu", "nickname", "ana", "model", "llama3", "endpoint",
				upstream.endpoint()));
		this.openAi = OpenAIOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port + "/rooms/" + this.code + "/v1")
			.apiKey("anything")
			.maxRetries(0)
			.build();
	}

	@AfterEach
	void tearDown() {
		this.openAi.close();
	}

	@Test
	void listsTheRoomsModels() {
		List<Model> models = this.openAi.models().list().data();
		assertThat(models).extracting(Model::id).containsExactly("ana-gpu");
		assertThat(models.get(0).ownedBy()).isEqualTo("ana");
	}

	@Test
	void chatsWithoutStreaming() {
		ChatCompletion completion = this.openAi.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder().model("*").addUserMessage("hello").build());
		assertThat(completion.choices().get(0).message().content()).contains("Hello from fake");
		assertThat(completion.usage()).hasValueSatisfying((usage) -> assertThat(usage.totalTokens()).isEqualTo(7));
	}

	@Test
	void chatsWithStreaming() {
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("model:llama3")
			.addUserMessage("hello")
			.build();
		try (StreamResponse<ChatCompletionChunk> stream = this.openAi.chat().completions().createStreaming(params)) {
			String text = stream.stream()
				.flatMap((chunk) -> chunk.choices().stream())
				.map((choice) -> choice.delta().content().orElse(""))
				.collect(Collectors.joining());
			assertThat(text).isEqualTo("Hello from fake");
		}
	}

	@Test
	void hubErrorsSurfaceAsTypedSdkExceptions() {
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> this.openAi.chat()
				.completions()
				.create(ChatCompletionCreateParams.builder().model("model:nobody").addUserMessage("x").build()))
			.withMessageContaining("No available participant for the requested model");
	}

}
