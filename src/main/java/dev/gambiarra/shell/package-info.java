/**
 * What every command of the jar shares, whether it runs in the hub console ({@code console}), as a one-shot client
 * command ({@code cli}) or as the coding agent ({@code agent.client}): {@link dev.gambiarra.shell.CliException}, the
 * one-line failure with its exit code, and {@link dev.gambiarra.shell.TextTable}, plain-text tables. It depends on
 * nothing else of the hub.
 */
@NullMarked
package dev.gambiarra.shell;

import org.jspecify.annotations.NullMarked;
