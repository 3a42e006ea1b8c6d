package dev.gambiarra.store;

/** The shared store cannot be reached when the hub starts; the failure analyzer turns it into one clear message. */
public class StoreUnavailableException extends RuntimeException {

	private final String url;

	public StoreUnavailableException(String url, Throwable cause) {
		super("Redis at " + url + " is unreachable: " + rootMessage(cause), cause);
		this.url = url;
	}

	public String url() {
		return this.url;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

}
