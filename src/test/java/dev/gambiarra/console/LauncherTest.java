package dev.gambiarra.console;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LauncherTest {

	@Test
	void onlyDoubleDashArgumentsStartTheHub() {
		SpringApplication app = new SpringApplication(LauncherTest.class);
		String[] args = { "--server.port=3100", "--gambiarra.demo.enabled=false" };
		assertThat(Launcher.configure(app, args)).containsExactly(args);
		assertThat(app.getWebApplicationType()).isNotEqualTo(WebApplicationType.NONE);
	}

	@Test
	void anyOtherArgumentIsAOneShotCommandWithoutAWebServer() {
		SpringApplication app = new SpringApplication(LauncherTest.class);
		String[] args = { "--gambiarra.cli.hub=http://10.0.0.2:3000", "list", "--json", "true" };
		assertThat(Launcher.configure(app, args)).containsExactly(args);
		assertThat(app.getWebApplicationType()).isEqualTo(WebApplicationType.NONE);
		assertThat(HubRunner.commandOf(args)).containsExactly("list", "--json", "true");
		assertThat(HubRunner.commandOf(new String[] { "--a=b" })).isEmpty();
	}

	@Test
	void serveTurnsItsFlagsIntoHubProperties() {
		SpringApplication app = new SpringApplication(LauncherTest.class);
		String[] args = Launcher.configure(app,
				new String[] { "--x=y", "serve", "--port", "3100", "--host=0.0.0.0", "--mdns", "--quiet", "true",
						"--demo", "false" });
		assertThat(args).containsExactly("--x=y", "--server.port=3100", "--server.address=0.0.0.0",
				"--gambiarra.mdns.enabled=true", "--logging.level.root=warn", "--logging.level.dev.gambiarra=warn",
				"--gambiarra.demo.enabled=false");
		assertThat(app.getWebApplicationType()).isNotEqualTo(WebApplicationType.NONE);
		assertThatThrownBy(() -> Launcher.serveArguments(new String[] { "serve", "now" }, 0))
			.hasMessage("serve: unexpected argument 'now'");
		assertThatThrownBy(() -> Launcher.serveArguments(new String[] { "serve", "--port" }, 0))
			.hasMessage("serve: --port needs a value");
	}

	@Test
	void argumentsWithSpacesOrQuotesAreQuotedForTheShellParser() {
		assertThat(CommandLines.join(List.of("chat", "--prompt", "two words", "--model", "*")))
			.isEqualTo("chat --prompt \"two words\" --model *");
		assertThat(CommandLines.join(List.of("a\"b", ""))).isEqualTo("\"a\\\"b\" \"\"");
	}

}
