package dev.gambiarra.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a participant reports about its machine: CPU, RAM (GB) and, when {@code nvidia-smi} answers, GPU/VRAM. */
final class SystemSpecs {

	private SystemSpecs() {
	}

	static Map<String, Object> detect() {
		Map<String, Object> specs = new LinkedHashMap<>();
		specs.put("cpu", cpu());
		long ram = totalMemory();
		if (ram > 0) {
			specs.put("ram", Math.round(ram / (1024.0 * 1024 * 1024)));
		}
		gpu(specs);
		return specs;
	}

	private static String cpu() {
		int cores = Runtime.getRuntime().availableProcessors();
		String name = System.getProperty("os.arch");
		try {
			Path cpuinfo = Path.of("/proc/cpuinfo");
			if (Files.isReadable(cpuinfo)) {
				name = Files.readAllLines(cpuinfo)
					.stream()
					.filter((line) -> line.startsWith("model name"))
					.map((line) -> line.substring(line.indexOf(':') + 1).strip())
					.findFirst()
					.orElse(name);
			}
		}
		catch (IOException ex) {
			// keep the architecture
		}
		return name + " (" + cores + " cores)";
	}

	private static long totalMemory() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getTotalMemorySize();
		}
		return 0;
	}

	private static void gpu(Map<String, Object> specs) {
		try {
			Process process = new ProcessBuilder("nvidia-smi", "--query-gpu=name,memory.total",
					"--format=csv,noheader,nounits")
				.redirectErrorStream(true)
				.start();
			String output;
			try (InputStream in = process.getInputStream()) {
				if (!process.waitFor(3, TimeUnit.SECONDS) || process.exitValue() != 0) {
					process.destroyForcibly();
					return;
				}
				output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
			}
			String first = output.lines().findFirst().orElse("");
			String[] parts = first.split(",");
			if (parts.length == 2) {
				specs.put("gpu", parts[0].strip());
				specs.put("vram", Math.round(Double.parseDouble(parts[1].strip()) / 1024));
			}
		}
		catch (IOException | NumberFormatException ex) {
			// no NVIDIA GPU or no driver tools
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
