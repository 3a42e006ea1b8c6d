package dev.gambiarra.agent.client.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gambiarra.agent.client.approval.RiskLevel;
import dev.gambiarra.agent.client.security.WorkspaceViolation;

/**
 * {@code read_file}: up to 5 files, each whole or a 1-based inclusive {@code line_range} ({@code "10-20"},
 * {@code "10-"}, {@code "10"}); lines come numbered. Without a range, long files stop at the line limit with a hint.
 */
final class ReadFileTool implements Tool {

	private static final Pattern RANGE = Pattern.compile("\\s*(\\d+)\\s*(?:-\\s*(\\d*)\\s*)?");

	private static final int MAX_FILES = 5;

	private final WorkspaceFiles files;

	ReadFileTool(WorkspaceFiles files) {
		this.files = files;
	}

	@Override
	public String name() {
		return "read_file";
	}

	private record Request(String path, Path resolved, int start, int end) {
	}

	@Override
	public PreparedCall prepare(ToolArgs args) {
		List<ToolArgs> entries = args.objects("file");
		if (entries.isEmpty()) {
			entries = List.of(args);
		}
		if (entries.size() > MAX_FILES) {
			throw new ToolException("read_file reads at most " + MAX_FILES + " files at once");
		}
		List<Request> requests = new ArrayList<>();
		for (ToolArgs entry : entries) {
			String path = entry.nonBlank("path");
			Path resolved = this.files.forRead(path);
			int start = 1;
			int end = Integer.MAX_VALUE;
			String range = entry.optionalString("line_range");
			if (range != null && !range.isBlank()) {
				Matcher m = RANGE.matcher(range);
				if (!m.matches()) {
					throw new ToolException("line_range must look like START-END (1-based), got '" + range + "'");
				}
				start = Integer.parseInt(m.group(1));
				end = (m.group(2) == null) ? start : (m.group(2).isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(m.group(2)));
			}
			else {
				Integer s = entry.optionalInt("start_line");
				Integer e = entry.optionalInt("end_line");
				start = (s == null) ? 1 : s;
				end = (e == null) ? Integer.MAX_VALUE : e;
			}
			if (start < 1 || end < start) {
				throw new ToolException("Invalid line range " + start + "-" + end + " for " + path);
			}
			requests.add(new Request(path, resolved, start, end));
		}
		String summary = "Read " + String.join(", ", requests.stream()
			.map(r -> this.files.relative(r.resolved()) + (r.start() > 1 || r.end() < Integer.MAX_VALUE
					? " (lines " + r.start() + "-" + (r.end() == Integer.MAX_VALUE ? "end" : r.end()) + ")" : ""))
			.toList());
		return new PreparedCall(RiskLevel.LOW, summary, () -> read(requests));
	}

	private ToolResult read(List<Request> requests) throws IOException {
		StringBuilder out = new StringBuilder();
		int failures = 0;
		for (Request request : requests) {
			if (out.length() > 0) {
				out.append('\n');
			}
			String rel = this.files.relative(request.resolved());
			try {
				out.append(render(rel, request));
			}
			catch (ToolException | WorkspaceViolation ex) {
				failures++;
				out.append("File: ").append(rel).append("\nError: ").append(ex.getMessage()).append('\n');
			}
		}
		String text = out.toString();
		return (failures == requests.size()) ? ToolResult.error(text) : ToolResult.ok(text);
	}

	private String render(String rel, Request request) throws IOException {
		List<String> lines = this.files.readText(request.resolved()).lines();
		int total = lines.size();
		if (total == 0) {
			return "File: " + rel + " (empty)\n";
		}
		if (request.start() > total) {
			throw new ToolException("line_range starts at " + request.start() + " but the file has " + total + " lines");
		}
		int limit = this.files.limits().maxReadLines();
		boolean explicit = request.end() != Integer.MAX_VALUE || request.start() > 1;
		int end = Math.min(request.end(), total);
		boolean cut = false;
		if (!explicit && end - request.start() + 1 > limit) {
			end = request.start() + limit - 1;
			cut = true;
		}
		int width = String.valueOf(end).length();
		StringBuilder out = new StringBuilder();
		out.append("File: ").append(rel).append(" (lines ").append(request.start()).append('-').append(end)
			.append(" of ").append(total).append(")\n");
		for (int i = request.start(); i <= end; i++) {
			String number = String.valueOf(i);
			out.append(" ".repeat(width - number.length())).append(number).append(" | ").append(lines.get(i - 1))
				.append('\n');
		}
		if (cut) {
			out.append("[showing the first ").append(limit).append(" of ").append(total)
				.append(" lines; read the rest with line_range]\n");
		}
		return out.toString();
	}

}
