/**
 * Tool definitions (classpath and plugin folder), the incremental XML tool-call parser and the validator.
 */
@NullMarked
package dev.gambiarra.agent.tools;

import org.jspecify.annotations.NullMarked;
