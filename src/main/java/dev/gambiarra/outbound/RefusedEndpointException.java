package dev.gambiarra.outbound;

import org.springframework.http.HttpStatus;

import dev.gambiarra.web.HubException;

/**
 * An outbound URL the {@link EndpointPolicy} refuses: a 400 {@code Invalid endpoint: …} as participant joins answer
 * it, with a {@link #reason()} other callers (the agent's providers) phrase in their own words.
 */
public final class RefusedEndpointException extends HubException {

	private final Reason reason;

	RefusedEndpointException(Reason reason) {
		super(HttpStatus.BAD_REQUEST, reason.message, "invalid_request");
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

	/** Why a URL is refused. */
	public enum Reason {

		/** Not an {@code http(s)} URL with a host, or it carries user info, a query or a fragment. */
		NOT_HTTP_URL("Invalid endpoint: must be an http(s) URL such as http://192.168.1.10:11434"),
		/** A host made only of numbers that is not a dotted quad ({@code 2852039166}, {@code 0xA9FEA9FE}). */
		AMBIGUOUS_NUMBER("Invalid endpoint: write an IPv4 address as four decimal numbers"),
		/** The address (or a well-known metadata name) is denied, or outside the allow list. */
		NOT_ALLOWED("Invalid endpoint: this address is not allowed on this hub");

		private final String message;

		Reason(String message) {
			this.message = message;
		}

	}

}
