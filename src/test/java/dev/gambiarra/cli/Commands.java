package dev.gambiarra.cli;

import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.shell.core.command.CommandContext;

import dev.gambiarra.testllm.TestLlmServer;

/** The client commands over one {@link ClientSupport}, called directly (tests skip Spring Shell's parsing here). */
final class Commands {

	final ClientSupport support;

	final CreateCommand create;

	final ListCommand list;

	final JoinCommand join;

	final ChatCommand chat;

	final MonitorCommand monitor;

	final DiscoverCommand discover;

	final TestLlmCommand testLlm;

	private Commands(ClientSupport support, Stdin stdin) {
		this.support = support;
		this.create = new CreateCommand(support);
		this.list = new ListCommand(support);
		this.join = new JoinCommand(support);
		this.chat = new ChatCommand(support, stdin);
		this.monitor = new MonitorCommand(support);
		this.discover = new DiscoverCommand(support);
		this.testLlm = new TestLlmCommand(support);
	}

	static Commands of(CliProperties properties, CliHttp http, boolean insideHub) {
		return new Commands(new ClientSupport(properties, http, insideHub), Stdins.TERMINAL);
	}

	static Commands of(CliProperties properties, CliHttp http, boolean insideHub, HubFinder finder,
			Consumer<String> notices) {
		return new Commands(new ClientSupport(properties, http, insideHub, finder, notices), Stdins.TERMINAL);
	}

	void create(String name, @Nullable String password, boolean json, @Nullable String hub, CommandContext context) {
		this.create.create(name, password, json, hub, context);
	}

	void list(boolean json, @Nullable String hub, CommandContext context) {
		this.list.list(json, hub, context);
	}

	void join(String code, @Nullable String model, String endpoint, @Nullable String nickname,
			@Nullable String password, boolean noSpecs, @Nullable String id, @Nullable String hub,
			CommandContext context) {
		this.join.join(code, model, endpoint, nickname, password, noSpecs, id, false, null, hub, context);
	}

	void joinTunnel(String code, @Nullable String model, String endpoint, @Nullable String nickname, @Nullable String id,
			@Nullable String hub, CommandContext context) {
		this.join.join(code, model, endpoint, nickname, null, true, id, true, null, hub, context);
	}

	void joinTunnelWithKey(String code, @Nullable String model, String endpoint, @Nullable String id, String apiKey,
			@Nullable String hub, CommandContext context) {
		this.join.join(code, model, endpoint, "nat", null, true, id, true, apiKey, hub, context);
	}

	void chat(String code, String prompt, String model, @Nullable String system, @Nullable String password,
			boolean stream, @Nullable String hub, CommandContext context) {
		this.chat.chat(code, prompt, List.of(), model, system, password, stream, hub, context);
	}

	void monitor(String code, @Nullable String password, boolean plain, int count, @Nullable String hub,
			CommandContext context) {
		this.monitor.monitor(code, password, plain, count, hub, context);
	}

	void discover(@Nullable String timeout, boolean json, CommandContext context) {
		this.discover.discover(timeout, json, context);
	}

	void testLlm(int port, String host, String models, int chunks, int delayMs, @Nullable String script,
			CommandContext context) {
		this.testLlm.testLlm(port, host, models, chunks, delayMs, script, context);
	}

	String hubUrl(@Nullable String hub) {
		return this.support.hubUrl(hub);
	}

	@Nullable JoinSession session() {
		return this.join.session();
	}

	@Nullable TestLlmServer testLlm() {
		return this.testLlm.testLlm();
	}

}
