package dev.gambiarra.agent.client.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.gambiarra.agent.client.approval.RiskLevel;

/**
 * {@code list_code_definition_names}: the classes, functions and methods of one source file, or of the supported
 * source files directly inside a folder (not its subfolders, at most 50 files), each as {@code line | text}.
 */
final class ListCodeDefinitionsTool implements Tool {

	private static final int MAX_FILES = 50;

	private final WorkspaceFiles files;

	ListCodeDefinitionsTool(WorkspaceFiles files) {
		this.files = files;
	}

	@Override
	public String name() {
		return "list_code_definition_names";
	}

	@Override
	public PreparedCall prepare(ToolArgs args) {
		String requested = args.optionalString("path");
		Path target = this.files.forRead(requested == null || requested.isBlank() ? "." : requested);
		if (!Files.exists(target)) {
			throw new ToolException("Not found: " + requested);
		}
		return new PreparedCall(RiskLevel.LOW, "List definitions in " + this.files.relative(target),
				() -> ToolResult.ok(list(target)));
	}

	private String list(Path target) throws IOException {
		List<Path> sources = new ArrayList<>();
		if (Files.isDirectory(target)) {
			try (Stream<Path> entries = Files.list(target)) {
				entries.filter(p -> Files.isRegularFile(p) && !Files.isSymbolicLink(p))
					.filter(p -> CodeDefinitions.supports(p.getFileName().toString()))
					.filter(p -> !this.files.isHidden(p, false))
					.sorted()
					.limit(MAX_FILES)
					.forEach(sources::add);
			}
		}
		else {
			if (!CodeDefinitions.supports(target.getFileName().toString())) {
				throw new ToolException("Unsupported language for " + this.files.relative(target)
						+ " (supported: Java, Python, TypeScript, JavaScript, Go, Rust, Kotlin)");
			}
			sources.add(target);
		}
		StringBuilder out = new StringBuilder();
		for (Path source : sources) {
			List<CodeDefinitions.Definition> defs;
			try {
				defs = CodeDefinitions.find(source.getFileName().toString(), this.files.readText(source).lines());
			}
			catch (ToolException ex) {
				continue;
			}
			if (defs.isEmpty()) {
				continue;
			}
			out.append("# ").append(this.files.relative(source)).append('\n');
			for (CodeDefinitions.Definition def : defs) {
				out.append(def.line()).append(" | ").append(def.text()).append('\n');
			}
		}
		return out.length() == 0 ? "No definitions found." : out.toString().stripTrailing();
	}

}
