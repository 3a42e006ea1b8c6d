package dev.gambiarra.web;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random identifiers and secrets. Uses a DRBG seeded once at class load, so drawing an id never reads
 * {@code /dev/urandom} and never blocks an event-loop thread.
 */
public final class Ids {

	private static final char[] CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

	private static final char[] TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		.toCharArray();

	private static final SecureRandom RANDOM = newRandom();

	private Ids() {
	}

	private static SecureRandom newRandom() {
		try {
			SecureRandom random = SecureRandom.getInstance("DRBG");
			random.nextBytes(new byte[1]);
			return random;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("DRBG SecureRandom is required", ex);
		}
	}

	/** A random version-4 UUID string, drawn from the non-blocking generator. */
	public static String uuid() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
		bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
		long msb = 0;
		long lsb = 0;
		for (int i = 0; i < 8; i++) {
			msb = (msb << 8) | (bytes[i] & 0xff);
			lsb = (lsb << 8) | (bytes[i + 8] & 0xff);
		}
		return new UUID(msb, lsb).toString();
	}

	/**
	 * A version-4 UUID string for correlating one request (the {@code X-Request-Id}): unique, not secret, so it is
	 * drawn from the caller thread's fast generator instead of the DRBG that secrets come from.
	 */
	public static String requestId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long msb = (random.nextLong() & ~0xf000L) | 0x4000L;
		long lsb = (random.nextLong() & ~(0xcL << 60)) | (0x8L << 60);
		return new UUID(msb, lsb).toString();
	}

	/** A room code: {@code length} characters of {@code [A-Z0-9]}. */
	public static String roomCode(int length) {
		return draw(CODE_ALPHABET, length);
	}

	/** An unguessable URL-safe token (6 bits of entropy per character). */
	public static String token(int length) {
		return draw(TOKEN_ALPHABET, length);
	}

	/** Fills {@code bytes} from the shared non-blocking generator. */
	public static void nextBytes(byte[] bytes) {
		RANDOM.nextBytes(bytes);
	}

	private static String draw(char[] alphabet, int length) {
		char[] out = new char[length];
		for (int i = 0; i < length; i++) {
			out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
		}
		return new String(out);
	}

}
