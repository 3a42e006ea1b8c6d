package dev.gambiarra.agent.client.tools;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Remembers what each file looked like when the agent last read or wrote it (a SHA-256 of its bytes), so an edit
 * never lands on a file that changed on disk behind the agent's back (an editor, a build, another command). A
 * changed file is re-read and the model is told, instead of being clobbered with an edit based on stale text.
 */
final class FileContextTracker {

	private final Map<Path, byte[]> seen = new ConcurrentHashMap<>();

	/** Records the content the agent has just read or written. */
	void remember(Path file, byte[] content) {
		this.seen.put(file, digest(content));
	}

	void forget(Path file) {
		this.seen.remove(file);
	}

	boolean knows(Path file) {
		return this.seen.containsKey(file);
	}

	/**
	 * Whether the file changed since the agent last saw it.
	 * @param file the file
	 * @param current its bytes on disk now, or null when it no longer exists
	 * @return true when the agent saw a different content (a file never seen is not stale)
	 */
	boolean isStale(Path file, byte @Nullable [] current) {
		byte[] known = this.seen.get(file);
		if (known == null) {
			return false;
		}
		return current == null || !Arrays.equals(known, digest(current));
	}

	private static byte[] digest(byte[] content) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(content);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
