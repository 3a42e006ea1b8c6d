package dev.gambiarra.proxy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.gambiarra.web.HubException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ProxyRequestTest {

	private final JsonMapper json = JsonMapper.builder().build();

	private ProxyRequest parse(String body) {
		return ProxyRequest.parse(body.getBytes(StandardCharsets.UTF_8), this.json);
	}

	private String forParticipant(ProxyRequest request, String model, Map<String, Object> config, boolean generates) {
		return new String(request.forParticipant(model, config, generates, this.json), StandardCharsets.UTF_8);
	}

	@ParameterizedTest
	@ValueSource(strings = { "llama3.2:3b", "", "qu\"ote", "back\\slash", "tab\there", "caf\u00e9", "\u0001", "~ ", "\u007f",
			"\uD83D\uDE00" })
	void writesAModelNameAsJacksonWouldForEveryCharacterKind(String model) {
		assertThat(new String(ProxyRequest.jsonString(model, this.json), StandardCharsets.UTF_8))
			.isEqualTo(this.json.writeValueAsString(model));
	}

	@Test
	void readsModelAndStream() {
		ProxyRequest request = parse("{\"model\":\"model:llama3\",\"stream\":true,\"messages\":[]}");
		assertThat(request.model()).isEqualTo("model:llama3");
		assertThat(request.stream()).isTrue();
		assertThat(parse("{\"model\":\"x\"}").stream()).isFalse();
	}

	@Test
	void replacesOnlyTheModelValueAndKeepsEveryOtherByte() {
		String body = "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"say \\\"model\\\": \\\"*\\\"\"} ],\n"
				+ "  \"model\" :  \"*\" , \"temperature\": 1.50e0, \"n\":1, \"meta\":{\"model\":\"nested\"} }";
		String rewritten = forParticipant(parse(body), "llama3:8b", Map.of(), true);
		assertThat(rewritten).isEqualTo(body.replace("\"model\" :  \"*\"", "\"model\" :  \"llama3:8b\""));
	}

	@Test
	void escapesTheParticipantModelAndHandlesEscapedRequestModels() {
		String rewritten = forParticipant(parse("{\"model\":\"a\\\"b\\u00e9\",\"x\":1}"), "we\"ird/é", Map.of(),
				true);
		JsonNode tree = this.json.readTree(rewritten);
		assertThat(tree.get("model").asString()).isEqualTo("we\"ird/é");
		assertThat(tree.get("x").asInt()).isEqualTo(1);
		assertThat(parse("{\"model\":\"a\\\"b\\u00e9\"}").model()).isEqualTo("a\"bé");
	}

	@Test
	void rewritesEveryTopLevelModelOfADuplicatedKeyAndRoutesOnTheLast() {
		ProxyRequest request = parse("{\"model\":\"first\",\"model\":\"last\"}");
		assertThat(request.model()).isEqualTo("last");
		assertThat(forParticipant(request, "real", Map.of(), true)).isEqualTo("{\"model\":\"real\",\"model\":\"real\"}");
	}

	@Test
	void addsStoredDefaultsTheRequestDoesNotSet() {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("temperature", 0.2);
		config.put("max_tokens", 64);
		config.put("stop", List.of("\n\n"));
		config.put("not_a_generation_default", true);
		String rewritten = forParticipant(parse("{\"model\":\"*\",\"max_tokens\":10,\"messages\":[]}"), "m", config,
				true);
		JsonNode tree = this.json.readTree(rewritten);
		assertThat(tree.get("temperature").asDouble()).isEqualTo(0.2);
		assertThat(tree.get("max_tokens").asInt()).isEqualTo(10);
		assertThat(tree.get("stop").get(0).asString()).isEqualTo("\n\n");
		assertThat(tree.has("not_a_generation_default")).isFalse();
		assertThat(tree.get("model").asString()).isEqualTo("m");
		assertThat(tree.size()).isEqualTo(5);
	}

	@Test
	void embeddingsGetNoGenerationDefaults() {
		String rewritten = forParticipant(parse("{\"model\":\"*\",\"input\":\"hi\"}"), "m", Map.of("temperature", 1),
				false);
		assertThat(rewritten).isEqualTo("{\"model\":\"m\",\"input\":\"hi\"}");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "true|true", "false|false", "\"true\"|true", "\"no\"|false", "1|true",
			"0|false", "null|false", "{\"a\":true}|false" })
	void streamFlagIsReadLikeTheTreeReadIt(String value, boolean expected) {
		assertThat(parse("{\"model\":\"m\",\"stream\":" + value + "}").stream()).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   ", "{", "{\"model\":\"m\"", "{\"model\":\"m\",}", "{\"model\":\"m\"} x",
			"{\"model\":\"m\"}{}", "{model:\"m\"}", "{\"model\":\"m\",\"messages\":[1,]}", "{\"model\":'m'}" })
	void rejectsInvalidJson(String body) {
		assertThatExceptionOfType(HubException.class).isThrownBy(() -> parse(body))
			.withMessage("Invalid JSON body");
	}

	@ParameterizedTest
	@ValueSource(strings = { "[]", "[{\"model\":\"m\"}]", "\"model\"", "42", "null" })
	void rejectsJsonThatIsNotAnObject(String body) {
		assertThatExceptionOfType(HubException.class).isThrownBy(() -> parse(body))
			.withMessage("Request body must be a JSON object");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"messages\":[]}", "{\"model\":null}", "{\"meta\":{\"model\":\"m\"}}" })
	void requiresAModel(String body) {
		assertThatExceptionOfType(HubException.class).isThrownBy(() -> parse(body))
			.withMessage("Missing required field: model");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"model\":\"\"}", "{\"model\":42}", "{\"model\":[\"m\"]}", "{\"model\":{\"id\":1}}",
			"{\"model\":true}" })
	void requiresAModelThatIsANonEmptyString(String body) {
		assertThatExceptionOfType(HubException.class).isThrownBy(() -> parse(body))
			.withMessage("Invalid value for field 'model': expected a non-empty string");
	}

	@Test
	void aLargePromptIsCopiedOnceUnchanged() {
		String prompt = "x".repeat(1_000_000);
		String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}],\"model\":\"*\"}";
		String rewritten = forParticipant(parse(body), "m", Map.of(), true);
		assertThat(rewritten).hasSize(body.length()).endsWith("\"model\":\"m\"}").contains(prompt);
	}

}
