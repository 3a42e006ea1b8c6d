package dev.gambiarra.shell;

import java.util.ArrayList;
import java.util.List;

/** Plain-text tables for terminals: left-aligned columns two spaces apart, no trailing spaces. */
public final class TextTable {

	private TextTable() {
	}

	/** The table as lines ending in {@code \n}, the header first; short rows leave their last columns empty. */
	public static String render(List<String> header, List<List<String>> rows) {
		int[] widths = header.stream().mapToInt(String::length).toArray();
		for (List<String> row : rows) {
			for (int i = 0; i < row.size() && i < widths.length; i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		List<List<String>> all = new ArrayList<>(rows.size() + 1);
		all.add(header);
		all.addAll(rows);
		StringBuilder out = new StringBuilder();
		for (List<String> row : all) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < row.size() && i < widths.length; i++) {
				line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 2));
			}
			out.append(line.toString().stripTrailing()).append('\n');
		}
		return out.toString();
	}

}
