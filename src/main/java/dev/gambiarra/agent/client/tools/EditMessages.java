package dev.gambiarra.agent.client.tools;

import java.util.List;

/** Texts shared by the editing tools. */
final class EditMessages {

	private static final int MAX_FRESH_LINES = 400;

	private EditMessages() {
	}

	/** Tells the model a file changed on disk and shows it the fresh content. */
	static String stale(String rel, WorkspaceFiles.Text fresh) {
		List<String> lines = fresh.lines();
		StringBuilder out = new StringBuilder();
		out.append(rel).append(" changed on disk since you last read it, so the edit was NOT applied. ")
			.append("Its current content is below; redo the edit against it.\n");
		int shown = Math.min(lines.size(), MAX_FRESH_LINES);
		int width = String.valueOf(Math.max(shown, 1)).length();
		for (int i = 0; i < shown; i++) {
			String number = String.valueOf(i + 1);
			out.append(" ".repeat(width - number.length())).append(number).append(" | ").append(lines.get(i))
				.append('\n');
		}
		if (lines.size() > shown) {
			out.append("[").append(lines.size() - shown).append(" more lines; use read_file with line_range]\n");
		}
		return out.toString();
	}

}
