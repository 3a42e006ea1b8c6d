package dev.gambiarra.deploy;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gambiarra.deploy.Dockerfile.Instruction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * There is no Docker engine on the build machines, so this replays the Dockerfile's run stage on the packaged jar:
 * the same layer extraction, the same layers copied into one folder, the same ENV and the same exec-form ENTRYPOINT
 * (read from the Dockerfile itself, so the two cannot drift apart), headless with no terminal. Only the address and
 * port differ: loopback and a free port instead of {@code 0.0.0.0:3000}. Then it runs the image's HEALTHCHECK
 * script, and stops the hub with SIGTERM as {@code docker stop} does, expecting exit status 0.
 */
class DockerRunStageIT {

	private static final Path PROJECT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test
	void packagedJarRunsAsTheImageWouldAndStopsCleanlyOnSigterm(@TempDir Path work) throws Exception {
		Dockerfile dockerfile = Dockerfile.read(PROJECT.resolve("Dockerfile"));
		Path app = assembleApp(dockerfile, work);
		Set<String> filesBefore = filesIn(app);
		int port = freeLoopbackPort();
		Map<String, String> env = dockerfile.runEnvironment();
		assertThat(env).containsEntry("SERVER_PORT", "3000")
			.containsEntry("GAMBIARRA_CONSOLE_ENABLED", "false")
			.containsEntry("GAMBIARRA_DEMO_ENABLED", "false")
			.containsEntry("SPRING_SHELL_HISTORY_ENABLED", "false")
			.containsKey("SERVER_ADDRESS");

		List<String> command = new ArrayList<>(dockerfile.entrypoint());
		assertThat(command.get(0)).isEqualTo("java");
		command.set(0, javaExecutable());
		ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile())
			.redirectErrorStream(true)
			.redirectOutput(work.resolve("hub.log").toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		builder.environment().keySet().removeIf((name) -> name.startsWith("GAMBIARRA_") || name.startsWith("SPRING_")
				|| name.startsWith("SERVER_") || name.equals("JAVA_TOOL_OPTIONS"));
		builder.environment().putAll(env);
		builder.environment().put("SERVER_ADDRESS", "127.0.0.1");
		builder.environment().put("SERVER_PORT", String.valueOf(port));
		Process hub = builder.start();
		try {
			URI health = URI.create("http://127.0.0.1:" + port + "/health");
			await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
				assertThat(hub.isAlive()).as("hub process alive; log:%n%s", log(work)).isTrue();
				return status(health) == 200;
			});
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(health).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.body()).contains("\"status\":\"ok\"");

			assertThat(healthcheck(port)).as("HEALTHCHECK against the running hub").isZero();
			assertThat(healthcheck(freeLoopbackPort())).as("HEALTHCHECK against a closed port").isNotZero();

			hub.destroy(); // SIGTERM, as docker stop sends
			assertThat(hub.waitFor(60, TimeUnit.SECONDS)).as("hub stopped; log:%n%s", log(work)).isTrue();
			assertThat(hub.exitValue()).as("exit status; log:%n%s", log(work)).isZero();
			assertThat(log(work)).contains("Graceful shutdown complete")
				.doesNotContain("Unable to create a system terminal")
				.doesNotContain(" ERROR ");
			assertThat(filesIn(app)).as("nothing written to the app folder (shell history is off)")
				.isEqualTo(filesBefore);
		}
		finally {
			hub.destroyForcibly();
		}
	}

	/**
	 * The build stage's {@code RUN java -Djarmode=tools ... extract --layers --destination /layers} on the packaged
	 * jar, then the run stage's {@code COPY --from=build /layers/<layer>/ ./} lines, in their order.
	 */
	private Path assembleApp(Dockerfile dockerfile, Path work) throws Exception {
		Path jar = work.resolve("app.jar");
		Files.copy(packagedJar(), jar);
		Instruction extract = Dockerfile.all(dockerfile.buildStage(), "RUN")
			.stream()
			.filter((run) -> run.arguments().contains("-Djarmode=tools"))
			.findFirst()
			.orElseThrow();
		List<String> extractCommand = new ArrayList<>();
		for (String word : extract.words()) {
			extractCommand.add(switch (word) {
				case "java" -> javaExecutable();
				case "/src/app.jar" -> jar.toString();
				case "/layers" -> work.resolve("layers").toString();
				default -> word;
			});
		}
		assertThat(extractCommand).contains("extract", "--layers", work.resolve("layers").toString());
		Process extracting = new ProcessBuilder(extractCommand).directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(work.resolve("extract.log").toFile())
			.start();
		assertThat(extracting.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(extracting.exitValue()).as(Files.readString(work.resolve("extract.log"))).isZero();

		Path app = Files.createDirectories(work.resolve("app"));
		List<String> layers = new ArrayList<>();
		for (Instruction copy : Dockerfile.all(dockerfile.runStage(), "COPY")) {
			List<String> words = copy.words();
			if (words.contains("--from=build")) {
				String source = words.get(words.size() - 2);
				assertThat(source).startsWith("/layers/");
				assertThat(words.get(words.size() - 1)).isEqualTo("./");
				layers.add(source.substring("/layers/".length()).replace("/", ""));
				copyTree(work.resolve("layers").resolve(layers.get(layers.size() - 1)), app);
			}
		}
		assertThat(layers).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies",
				"application");
		assertThat(Dockerfile.one(dockerfile.runStage(), "WORKDIR").arguments()).isEqualTo("/app");
		assertThat(app.resolve("app.jar")).exists();
		return app;
	}

	private int healthcheck(int port) throws Exception {
		Dockerfile dockerfile = Dockerfile.read(PROJECT.resolve("Dockerfile"));
		String check = Dockerfile.one(dockerfile.runStage(), "HEALTHCHECK").arguments();
		assertThat(check).endsWith("CMD [\"/app/healthcheck\"]");
		assertThat(Dockerfile.all(dockerfile.runStage(), "COPY")).extracting(Instruction::arguments)
			.contains("--chmod=755 docker/healthcheck /app/healthcheck");
		ProcessBuilder builder = new ProcessBuilder("bash", PROJECT.resolve("docker/healthcheck").toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		builder.environment().put("SERVER_PORT", String.valueOf(port));
		Process process = builder.start();
		assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
		return process.exitValue();
	}

	private int status(URI uri) {
		try {
			return this.http
				.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private static Path packagedJar() throws IOException {
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(PROJECT.resolve("target"), "gambiarra-*.jar")) {
			for (Path jar : jars) {
				return jar;
			}
		}
		throw new IllegalStateException("No packaged jar in target/: run ./mvnw verify (package comes first)");
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static int freeLoopbackPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path source : paths.toList()) {
				Path target = to.resolve(from.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
	}

	private static Set<String> filesIn(Path folder) throws IOException {
		try (Stream<Path> paths = Files.walk(folder)) {
			return paths.map((path) -> folder.relativize(path).toString()).collect(Collectors.toSet());
		}
	}

	private static String log(Path work) {
		try {
			return Files.readString(work.resolve("hub.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

}
