package dev.gambiarra.agent.client.tools;

import java.time.Duration;

/**
 * Bounds on what one tool call reads or returns.
 *
 * @param maxFileBytes largest file the tools read or edit
 * @param maxReadLines lines returned by one {@code read_file} without a line range
 * @param maxListEntries entries returned by one {@code list_files}
 * @param maxSearchResults matches returned by one {@code search_files}
 * @param searchTimeout time budget of one {@code search_files} (stops runaway regexes)
 */
public record FileLimits(long maxFileBytes, int maxReadLines, int maxListEntries, int maxSearchResults,
		Duration searchTimeout) {

	/** Defaults: 2 MiB files, 2000 lines, 1000 entries, 300 matches, 10 s per search. */
	public static FileLimits defaults() {
		return new FileLimits(2L * 1024 * 1024, 2000, 1000, 300, Duration.ofSeconds(10));
	}

}
