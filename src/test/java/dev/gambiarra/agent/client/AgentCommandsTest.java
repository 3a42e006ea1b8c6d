package dev.gambiarra.agent.client;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.util.unit.DataSize;

import dev.gambiarra.agent.client.security.CommandPolicy;
import dev.gambiarra.agent.client.tools.ToolBox;
import dev.gambiarra.shell.CliException;
import dev.gambiarra.discovery.DiscoveredHub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class AgentCommandsTest {

	@TempDir
	Path root;

	static AgentClientProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values))
			.bindOrCreate("gambiarra.agent.client", AgentClientProperties.class);
	}

	@Test
	void defaultsAreSafe() {
		AgentClientProperties properties = bind(Map.of());
		assertThat(properties.hub()).isEqualTo("http://localhost:3000");
		assertThat(properties.approvals().autoApproveReads()).isFalse();
		assertThat(properties.approvals().autoApproveWrites()).isFalse();
		assertThat(properties.approvals().autoApproveCommands()).isFalse();
		assertThat(properties.commands().allowDangerous()).isFalse();
		assertThat(properties.commands().timeout()).isEqualTo(Duration.ofSeconds(120));
		assertThat(properties.commands().maxOutput()).isEqualTo(DataSize.ofKilobytes(64));
		ToolBox.Settings settings = AgentCommands.settings(properties);
		assertThat(settings.allow()).isEqualTo(CommandPolicy.DEFAULT_ALLOW);
		assertThat(settings.deny()).isEqualTo(CommandPolicy.DEFAULT_DENY);
		assertThat(settings.backupDir()).isEqualTo(".gambiarra/backups");
		assertThat(settings.limits().maxFileBytes()).isEqualTo(2 * 1024 * 1024);
	}

	@Test
	void bindsListsAndNestedSettings() {
		AgentClientProperties properties = bind(Map.of("gambiarra.agent.client.commands.allow", "make,npm",
				"gambiarra.agent.client.commands.deny", "docker", "gambiarra.agent.client.files.ignore[0]", "*.sqlite",
				"gambiarra.agent.client.approvals.auto-approve-reads", "true",
				"gambiarra.agent.client.files.max-read-lines", "50"));
		ToolBox.Settings settings = AgentCommands.settings(properties);
		assertThat(settings.allow()).containsExactly("make", "npm");
		assertThat(settings.deny()).containsExactly("docker");
		assertThat(settings.extraIgnore()).containsExactly("*.sqlite");
		assertThat(settings.limits().maxReadLines()).isEqualTo(50);
		assertThat(properties.approvals().autoApproveReads()).isTrue();
	}

	@Test
	void reportsUsageErrorsAndAnUnreachableHub() throws Exception {
		AgentCommands commands = new AgentCommands(bind(Map.of()), false);
		StringWriter out = new StringWriter();
		CommandContext context = mock(CommandContext.class);
		when(context.outputWriter()).thenReturn(new PrintWriter(out, true));
		String ws = this.root.toString();
		assertThatThrownBy(() -> run(commands, context, ws, null, "room", null, "code"))
			.isInstanceOf(CliException.class).hasMessageContaining("--room CODE");
		assertThatThrownBy(() -> run(commands, context, ws, null, null, null, "write"))
			.isInstanceOf(CliException.class).hasMessageContaining("--mode must be code or ask");
		assertThatThrownBy(() -> run(commands, context, this.root.resolve("missing").toString(), null, null, null,
				"code")).isInstanceOf(CliException.class).hasMessageContaining("Workspace folder not found");
		int freePort;
		try (ServerSocket socket = new ServerSocket(0)) {
			freePort = socket.getLocalPort();
		}
		String hub = "http://127.0.0.1:" + freePort;
		assertThatThrownBy(() -> run(commands, context, ws, hub, null, null, "code")).isInstanceOf(CliException.class)
			.satisfies((ex) -> assertThat(((CliException) ex).exitCode()).isEqualTo(CliException.FAILURE))
			.hasMessageContaining("Cannot talk to the hub at ws://127.0.0.1:" + freePort + "/agent");
		assertThatThrownBy(() -> new AgentCommands(bind(Map.of()), true).agent("x", ws, null, null, null, null, null,
				null, null, "code", false, false, null, context)).hasMessageContaining("one-shot");
	}

	@Test
	void hubAutoFailsInOneLineWhenNoHubAnswersAndUsesTheOneFound() throws Exception {
		StringWriter out = new StringWriter();
		CommandContext context = mock(CommandContext.class);
		when(context.outputWriter()).thenReturn(new PrintWriter(out, true));
		String ws = this.root.toString();
		AgentCommands none = new AgentCommands(bind(Map.of()), false, Optional::empty);
		assertThatThrownBy(() -> run(none, context, ws, "auto", null, null, "code")).isInstanceOf(CliException.class)
			.satisfies((ex) -> assertThat(((CliException) ex).exitCode()).isEqualTo(CliException.FAILURE))
			.hasMessage("No Gambiarra hub found on the network; pass --hub URL instead of auto");
		int freePort;
		try (ServerSocket socket = new ServerSocket(0)) {
			freePort = socket.getLocalPort();
		}
		DiscoveredHub lan = new DiscoveredHub("gambiarra-hub-" + freePort,
				URI.create("http://127.0.0.1:" + freePort + "/"), "dev");
		AgentCommands found = new AgentCommands(bind(Map.of("gambiarra.agent.client.hub", "auto")), false,
				() -> Optional.of(lan));
		assertThatThrownBy(() -> run(found, context, ws, null, null, null, "code")).isInstanceOf(CliException.class)
			.hasMessageContaining("Cannot talk to the hub at ws://127.0.0.1:" + freePort + "/agent");
		assertThat(out.toString()).contains("Using hub gambiarra-hub-" + freePort + " at http://127.0.0.1:" + freePort
				+ "/ (found by mDNS)");
	}

	private static void run(AgentCommands commands, CommandContext context, String workspace, String hub,
			String provider, String room, String mode) {
		commands.agent("task", workspace, hub, room, null, null, null, null, provider, mode, false, false, null,
				context);
	}

	@Test
	void agentUriFollowsTheHubScheme() {
		assertThat(AgentClient.agentUri(java.net.URI.create("http://h:3000")).toString()).isEqualTo("ws://h:3000/agent");
		assertThat(AgentClient.agentUri(java.net.URI.create("https://h/")).toString()).isEqualTo("wss://h/agent");
		assertThat(AgentClient.agentUri(java.net.URI.create("ws://h:1/custom?token=x")).toString())
			.isEqualTo("ws://h:1/custom?token=x");
		assertThatThrownBy(() -> AgentClient.agentUri(java.net.URI.create("ftp://h"))).isInstanceOf(
				IllegalArgumentException.class);
	}

}
