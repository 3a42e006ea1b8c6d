package dev.gambiarra.agent.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The validator against the built-in schemas and plugin definitions, and the registry's version checks. */
class ToolValidatorTests {

	static final JsonMapper json = JsonMapper.builder().build();

	static final ToolRegistry registry = ToolRegistry.load(json, null);

	static final ToolValidator validator = new ToolValidator(registry);

	static final List<String> all = registry.offered(false).stream().map(ToolDefinition::name).toList();

	static ToolValidator.Result validate(String xml, List<String> offered, ToolRegistry tools) {
		List<ParseEvent> events = new java.util.ArrayList<>(new ToolCallParser(tools, 100_000).feed(xml));
		ParseEvent.Call call = (ParseEvent.Call) events.stream().filter(ParseEvent.Call.class::isInstance).findFirst()
			.orElseThrow();
		return new ToolValidator(tools).validate(call.call(), offered);
	}

	static String error(String xml) {
		ToolValidator.Result result = validate(xml, all, registry);
		assertThat(result).isInstanceOf(ToolValidator.Invalid.class);
		return ((ToolValidator.Invalid) result).message();
	}

	static String nested(String xml) {
		ToolValidator.Result result = validate(xml, all, registry);
		assertThat(result).isInstanceOf(ToolValidator.Valid.class);
		return json.writeValueAsString(((ToolValidator.Valid) result).params());
	}

	@Test
	void buildsTheNestedFormWithTypesAndArrays() {
		assertThat(nested("<read_file><args><file><path>a</path></file><file><path>b</path>"
				+ "<line_range>3-4</line_range></file></args></read_file>"))
			.isEqualTo("{\"args\":{\"file\":[{\"path\":\"a\"},{\"path\":\"b\",\"line_range\":\"3-4\"}]}}");
		assertThat(nested("<search_and_replace><args><path>a</path><search>x</search><replace></replace>"
				+ "<use_regex>TRUE</use_regex><start_line> 3 </start_line></args></search_and_replace>"))
			.isEqualTo("{\"args\":{\"path\":\"a\",\"search\":\"x\",\"replace\":\"\",\"use_regex\":true,"
					+ "\"start_line\":3}}");
		assertThat(nested("<list_files><path>src</path><recursive>false</recursive></list_files>"))
			.isEqualTo("{\"args\":{\"path\":\"src\",\"recursive\":false}}");
	}

	@Test
	void explainsWhatIsWrong() {
		assertThat(error("<write_to_file><args><path>a</path></args></write_to_file>"))
			.contains("Missing required parameter <content>");
		assertThat(error("<read_file><args><file><line_range>1-2</line_range></file></args></read_file>"))
			.contains("Missing required parameter <file>/<path>");
		assertThat(error("<read_file><args><file>a.txt</file></args></read_file>"))
			.contains("<file> must contain nested elements");
		assertThat(error("<read_file><args><file><path>a</path><line_range>first</line_range></file></args>"
				+ "</read_file>")).contains("<file>/<line_range> has an invalid format");
		assertThat(error("<insert_content><args><path>a</path><line>two</line><content>x</content></args>"
				+ "</insert_content>")).contains("<line> must be an integer");
		assertThat(error("<list_files><args><path>a</path><recursive>yes</recursive></args></list_files>"))
			.contains("<recursive> must be true or false");
		assertThat(error("<list_files><args><path>a</path><depth>2</depth></args></list_files>"))
			.contains("Unknown parameter <depth>", "allowed: path, recursive");
		assertThat(error("<list_files><args><path>a</path><path>b</path></args></list_files>"))
			.contains("given 2 times");
		assertThat(error("<list_files><args><path> </path></args></list_files>")).contains("must not be empty");
		assertThat(error("<read_file><args>" + "<file><path>a</path></file>".repeat(6) + "</args></read_file>"))
			.contains("at most 5");
		assertThat(error("<list_files><args>src</args></list_files>")).contains("<args> must contain nested elements");
	}

	@Test
	void refusesToolsTheModeDoesNotOffer() {
		List<String> readOnly = registry.offered(true).stream().map(ToolDefinition::name).toList();
		assertThat(readOnly).contains("read_file", "attempt_completion").doesNotContain("write_to_file",
				"execute_command");
		ToolValidator.Result result = validate("<execute_command><args><command>ls</command></args></execute_command>",
				readOnly, registry);
		assertThat(result).isInstanceOfSatisfying(ToolValidator.Invalid.class,
				(invalid) -> assertThat(invalid.message()).contains("not available in this mode"));
	}

	@Test
	void pluginsAddToolsAndReplaceOlderVersionsOnly(@TempDir Path plugins) throws IOException {
		Files.writeString(plugins.resolve("deploy.json"), """
				{"format": 1, "name": "deploy", "version": "1.0", "risk": "high", "mutating": true,
				 "description": "Deploy the app", "example": "<deploy><args><target>prod</target></args></deploy>",
				 "params": {"target": {"type": "string", "required": true, "enum": ["staging", "prod"]},
				            "options": {"type": "object", "properties": {"dry_run": {"type": "boolean"}}}}}
				""");
		Files.writeString(plugins.resolve("list_files.json"), Files.readString(plugins.resolve("deploy.json"))
			.replace("\"deploy\"", "\"list_files\"")
			.replace("\"1.0\"", "\"0.9\""));
		Files.writeString(plugins.resolve("read_file.json"), """
				{"format": 1, "name": "read_file", "version": "1.1", "risk": "low", "mutating": false,
				 "description": "Read one file", "example": "<read_file><args><path>a</path></args></read_file>",
				 "params": {"path": {"type": "string", "required": true}}}
				""");
		Files.writeString(plugins.resolve("future.json"), "{\"format\": 2, \"name\": \"future\"}");
		Files.writeString(plugins.resolve("broken.json"), "{not json");
		ToolRegistry tools = ToolRegistry.load(json, plugins);

		assertThat(tools.find("deploy")).isNotNull();
		assertThat(tools.find("read_file").version()).isEqualTo("1.1");
		assertThat(tools.find("list_files").version()).isEqualTo("1.0");
		assertThat(tools.find("future")).isNull();
		assertThat(tools.problems()).anySatisfy((p) -> assertThat(p).contains("list_files@0.9 is not newer"))
			.anySatisfy((p) -> assertThat(p).contains("unsupported definition format"))
			.anySatisfy((p) -> assertThat(p).contains("broken.json"));

		List<String> offered = tools.offered(false).stream().map(ToolDefinition::name).toList();
		assertThat(validate("<deploy><args><target>moon</target></args></deploy>", offered, tools))
			.isInstanceOfSatisfying(ToolValidator.Invalid.class,
					(invalid) -> assertThat(invalid.message()).contains("must be one of staging, prod"));
		ToolValidator.Result ok = validate("<deploy><args><target>prod</target><options><dry_run>true</dry_run>"
				+ "</options></args></deploy>", offered, tools);
		assertThat(ok).isInstanceOfSatisfying(ToolValidator.Valid.class, (valid) -> assertThat(
				json.writeValueAsString(valid.params()))
			.isEqualTo("{\"args\":{\"target\":\"prod\",\"options\":{\"dry_run\":true}}}"));
	}

	@Test
	void refusesBrokenDefinitions() {
		assertThatIllegalArgumentException().isThrownBy(() -> ToolDefinitionReader.read(json.readTree(
				"{\"format\":1,\"name\":\"x\",\"version\":\"1\",\"risk\":\"low\",\"mutating\":false}"), "t.json"))
			.withMessageContaining("MAJOR.MINOR");
		assertThatIllegalArgumentException().isThrownBy(() -> ToolDefinitionReader.read(json.readTree(
				"{\"format\":1,\"name\":\"x\",\"version\":\"1.0\",\"risk\":\"extreme\",\"mutating\":false}"), "t.json"))
			.withMessageContaining("risk");
	}

}
