package dev.gambiarra.agent.provider;

/**
 * A provider could not answer. {@code code} is the protocol's failure code ({@code no_provider},
 * {@code provider_error}, {@code invalid_provider}); the message is secret-free and meant for the user.
 */
public class ProviderException extends RuntimeException {

	private final String code;

	private final boolean retryable;

	public ProviderException(String code, String message, boolean retryable) {
		super(message, null, false, false);
		this.code = code;
		this.retryable = retryable;
	}

	public String code() {
		return this.code;
	}

	public boolean retryable() {
		return this.retryable;
	}

}
