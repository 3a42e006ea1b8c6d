/**
 * How the hub's log lines reach its standard output: batched off the event loops, one write per interval.
 */
@NullMarked
package dev.gambiarra.logging;

import org.jspecify.annotations.NullMarked;
