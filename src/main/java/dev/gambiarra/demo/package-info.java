/**
 * The demo room: a fixed, documented room code served by an embedded test LLM, so a fresh hub answers its first
 * OpenAI call with nothing else installed.
 */
@NullMarked
package dev.gambiarra.demo;

import org.jspecify.annotations.NullMarked;
