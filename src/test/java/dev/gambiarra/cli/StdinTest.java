package dev.gambiarra.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether {@code chat} may read stdin, decided from where file descriptor 0 points (Linux's /proc link). */
class StdinTest {

	@Test
	void aTerminalDeviceIsATerminalAPipeOrFileIsNot(@TempDir Path dir) throws IOException {
		assertThat(Stdin.terminal(Files.createSymbolicLink(dir.resolve("pts"), Path.of("/dev/pts/3")))).isTrue();
		assertThat(Stdin.terminal(Files.createSymbolicLink(dir.resolve("tty"), Path.of("/dev/tty1")))).isTrue();
		assertThat(Stdin.terminal(Files.createSymbolicLink(dir.resolve("pipe"), Path.of("pipe:[40213]")))).isFalse();
		assertThat(Stdin.terminal(Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null")))).isFalse();
		assertThat(Stdin.terminal(Files.createSymbolicLink(dir.resolve("file"), dir.resolve("prompt.txt")))).isFalse();
	}

}
