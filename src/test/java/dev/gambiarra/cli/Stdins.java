package dev.gambiarra.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Standard inputs for tests: a terminal (never read) or piped text. */
final class Stdins {

	/** A terminal: {@code chat} must not read it. */
	static final Stdin TERMINAL = new Stdin() {

		@Override
		public boolean isTerminal() {
			return true;
		}

		@Override
		public InputStream stream() {
			throw new AssertionError("a terminal's stdin must not be read");
		}

	};

	private Stdins() {
	}

	/** A pipe holding {@code text}. */
	static Stdin piped(String text) {
		InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
		return new Stdin() {

			@Override
			public boolean isTerminal() {
				return false;
			}

			@Override
			public InputStream stream() {
				return in;
			}

		};
	}

}
