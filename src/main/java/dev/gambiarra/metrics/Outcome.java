package dev.gambiarra.metrics;

import java.util.Locale;

/** How a proxied request ended; the {@code outcome} tag of {@code gambiarra.proxy.requests}. */
public enum Outcome {

	/** The upstream answered 2xx and the whole answer reached the client. */
	SUCCESS,

	/** The upstream answered with an error status, passed through to the client. */
	UPSTREAM_ERROR,

	/** The upstream could not be reached, timed out or dropped the answer midway. */
	FAILED,

	/** The client went away before the answer was complete. */
	CANCELLED;

	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
