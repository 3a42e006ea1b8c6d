package dev.gambiarra.console;

import java.io.PrintWriter;
import java.util.List;

/** Plain-text tables with left-aligned columns sized to their content. */
final class Tables {

	private Tables() {
	}

	static void print(PrintWriter out, List<String> header, List<List<String>> rows) {
		int[] widths = new int[header.size()];
		for (int i = 0; i < header.size(); i++) {
			widths[i] = header.get(i).length();
		}
		for (List<String> row : rows) {
			for (int i = 0; i < row.size() && i < widths.length; i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		out.println(line(header, widths));
		for (List<String> row : rows) {
			out.println(line(row, widths));
		}
	}

	private static String line(List<String> cells, int[] widths) {
		StringBuilder line = new StringBuilder();
		for (int i = 0; i < cells.size(); i++) {
			String cell = cells.get(i);
			line.append(cell);
			if (i < cells.size() - 1) {
				line.append(" ".repeat(widths[i] - cell.length() + 2));
			}
		}
		return line.toString().stripTrailing();
	}

}
