/**
 * One-shot client commands ({@code create}, {@code list}, {@code join}, {@code chat}, {@code monitor},
 * {@code test-llm}) that talk to any hub over HTTP. They run on the CLI thread and may block.
 */
@NullMarked
package dev.gambiarra.cli;

import org.jspecify.annotations.NullMarked;
