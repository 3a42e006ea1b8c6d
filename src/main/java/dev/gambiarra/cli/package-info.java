/**
 * One-shot client commands that talk to any hub over HTTP, one class each ({@code CreateCommand},
 * {@code ListCommand}, {@code JoinCommand}, {@code ChatCommand}, {@code MonitorCommand}, {@code DiscoverCommand},
 * {@code TestLlmCommand}, {@code ServeCommand}), with their shared plumbing in {@code ClientSupport} (which hub,
 * {@code --hub auto}, the one-shot guard) and {@code CliHttp} (the process's one HTTP client: {@code RestClient} for
 * requests, {@code WebClient} for event streams). They run on the CLI thread and may block.
 */
@NullMarked
package dev.gambiarra.cli;

import org.jspecify.annotations.NullMarked;
