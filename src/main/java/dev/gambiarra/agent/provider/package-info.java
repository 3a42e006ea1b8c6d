/**
 * Where the agent's model answers from: a hub room, an OpenAI-compatible server, the test LLM; with retries and breakers.
 */
@NullMarked
package dev.gambiarra.agent.provider;

import org.jspecify.annotations.NullMarked;
