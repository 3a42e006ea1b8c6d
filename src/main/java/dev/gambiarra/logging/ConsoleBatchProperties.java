package dev.gambiarra.logging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The console's batched writes.
 *
 * @param enabled once the hub has started, write its console lines from one background thread, at most once per
 *     {@code interval}, instead of one write to standard output per line on the thread that logged it
 * @param interval the longest a line waits before it is written
 * @param maxPending the most bytes of lines waiting at once; lines beyond it are dropped and counted (a console
 *     reader that stops reading must not grow the hub's memory), and the count is written when there is room again
 */
@Validated
@ConfigurationProperties("gambiarra.logging.console-batch")
record ConsoleBatchProperties(@DefaultValue("true") boolean enabled, @DefaultValue("10ms") Duration interval,
		@DefaultValue("4MB") DataSize maxPending) {

}
