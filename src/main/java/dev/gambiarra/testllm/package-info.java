/**
 * The built-in test LLM: a deterministic OpenAI-compatible (and Ollama-tags-compatible) fake on a plain Reactor
 * Netty server, for demos, tests and benchmarks. No Spring needed: {@link dev.gambiarra.testllm.TestLlmServer#start}.
 */
@NullMarked
package dev.gambiarra.testllm;

import org.jspecify.annotations.NullMarked;
