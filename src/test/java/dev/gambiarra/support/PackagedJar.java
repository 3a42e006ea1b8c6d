package dev.gambiarra.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The jar {@code ./mvnw package} built, run as a one-shot command in its own JVM (for *IT tests, after package). */
public final class PackagedJar {

	private static final Path PROJECT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

	private PackagedJar() {
	}

	/** What a run printed and how it ended. */
	public record Run(int exit, String out, String err) {
	}

	/** {@code target/gambiarra-*.jar}. */
	public static Path path() throws IOException {
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(PROJECT.resolve("target"), "gambiarra-*.jar")) {
			for (Path jar : jars) {
				return jar;
			}
		}
		throw new IllegalStateException("No packaged jar in target/: run ./mvnw verify (package comes first)");
	}

	/**
	 * Runs {@code java -jar <jar> args…} in {@code work} with {@code stdin} as its standard input, and waits for it
	 * (90 s at most).
	 */
	public static Run run(Path work, File stdin, List<String> args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-jar", path().toString()));
		command.addAll(args);
		Path out = Files.createTempFile(work, "out", ".txt");
		Path err = Files.createTempFile(work, "err", ".txt");
		Process process = new ProcessBuilder(command).directory(work.toFile())
			.redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(stdin))
			.start();
		if (!process.waitFor(90, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("'" + String.join(" ", args) + "' still running after 90 s");
		}
		return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
				Files.readString(err, StandardCharsets.UTF_8));
	}

}
