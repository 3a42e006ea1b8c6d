package dev.gambiarra.agent.client.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Finds the definitions in a source file by language-specific line patterns: classes, interfaces, records, enums,
 * methods and functions in Java, Python, TypeScript/JavaScript, Go, Rust and Kotlin. Not a parser: it reads one line
 * at a time, skips comment lines and lines inside block comments and triple-quoted strings, and stays cheap.
 */
final class CodeDefinitions {

	/** One definition: its 1-based line and the line's text. */
	record Definition(int line, String text) {
	}

	private static final Set<String> NOT_NAMES = Set.of("if", "for", "while", "switch", "catch", "return", "new",
			"else", "do", "try", "synchronized", "throw", "super", "this", "function", "await", "typeof", "sizeof");

	private static final List<Pattern> JAVA = List.of(Pattern.compile(
			"^\\s*(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:(?:public|protected|private|static|final|abstract|sealed|non-sealed|"
					+ "strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+\\w+.*"),
			Pattern.compile("^\\s*(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:(?:public|protected|private|static|final|abstract|"
					+ "synchronized|native|default|strictfp)\\s+)*(?:<[^>]+>\\s+)?[\\w.$<>\\[\\],?\\s]*?[\\w>\\]]\\s+"
					+ "(\\w+)\\s*\\([^;=]*$"),
			Pattern.compile("^\\s*(?:public|protected|private)\\s+(\\w+)\\s*\\([^;=]*$"));

	private static final List<Pattern> PYTHON = List.of(Pattern.compile("^\\s*(?:async\\s+)?def\\s+\\w+.*"),
			Pattern.compile("^\\s*class\\s+\\w+.*"));

	private static final List<Pattern> SCRIPT = List.of(
			Pattern.compile("^\\s*(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:async\\s+)?function\\s*\\*?\\s*\\w+.*"),
			Pattern.compile("^\\s*(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:abstract\\s+)?class\\s+\\w+.*"),
			Pattern.compile("^\\s*(?:export\\s+)?(?:declare\\s+)?(?:interface|type|enum|namespace|module)\\s+\\w+.*"),
			Pattern.compile("^\\s*(?:export\\s+)?(?:const|let|var)\\s+\\w+\\s*(?::[^=]+)?=\\s*(?:async\\s+)?"
					+ "(?:function\\b|\\([^)]*\\)\\s*(?::[^=]+)?=>|\\w+\\s*=>).*"),
			Pattern.compile("^\\s+(?:(?:public|private|protected|static|async|readonly|override|abstract|get|set)\\s+)*"
					+ "\\*?(\\w+)\\s*(?:<[^>]*>)?\\s*\\([^)]*\\)\\s*(?::\\s*[^={;]+)?\\s*\\{\\s*$"));

	private static final List<Pattern> GO = List.of(Pattern.compile("^func\\s+(?:\\([^)]*\\)\\s*)?\\w+.*"),
			Pattern.compile("^type\\s+\\w+.*"), Pattern.compile("^\\s+\\w+\\s+(?:struct|interface)\\s*\\{.*"));

	private static final List<Pattern> RUST = List.of(Pattern.compile(
			"^\\s*(?:pub(?:\\([^)]*\\))?\\s+)?(?:async\\s+)?(?:unsafe\\s+)?(?:fn|struct|enum|trait|impl|mod|type)\\b.*"));

	private static final List<Pattern> KOTLIN = List.of(Pattern.compile("^\\s*(?:(?:public|private|protected|internal|"
			+ "open|abstract|data|sealed|enum|inner|override|suspend|inline|private)\\s+)*(?:class|interface|object|fun)"
			+ "\\s+[\\w.<>]+.*"));

	private static final Map<String, List<Pattern>> BY_EXTENSION = Map.ofEntries(Map.entry("java", JAVA),
			Map.entry("py", PYTHON), Map.entry("pyi", PYTHON), Map.entry("ts", SCRIPT), Map.entry("tsx", SCRIPT),
			Map.entry("mts", SCRIPT), Map.entry("cts", SCRIPT), Map.entry("js", SCRIPT), Map.entry("jsx", SCRIPT),
			Map.entry("mjs", SCRIPT), Map.entry("cjs", SCRIPT), Map.entry("go", GO), Map.entry("rs", RUST),
			Map.entry("kt", KOTLIN), Map.entry("kts", KOTLIN));

	private CodeDefinitions() {
	}

	static boolean supports(String fileName) {
		return patternsFor(fileName) != null;
	}

	private static @Nullable List<Pattern> patternsFor(String fileName) {
		int dot = fileName.lastIndexOf('.');
		return (dot < 0) ? null : BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
	}

	/** The definitions in a file's lines, in order; empty for an unsupported language. */
	static List<Definition> find(String fileName, List<String> lines) {
		List<Pattern> patterns = patternsFor(fileName);
		List<Definition> found = new ArrayList<>();
		if (patterns == null) {
			return found;
		}
		boolean python = patterns == PYTHON;
		boolean inBlock = false;
		String tripleQuote = null;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			String trimmed = line.strip();
			if (python) {
				if (tripleQuote != null) {
					if (trimmed.contains(tripleQuote)) {
						tripleQuote = null;
					}
					continue;
				}
				for (String q : new String[] { "\"\"\"", "'''" }) {
					if (trimmed.startsWith(q) || trimmed.contains("= " + q)) {
						int first = trimmed.indexOf(q);
						if (trimmed.indexOf(q, first + 3) < 0) {
							tripleQuote = q;
						}
					}
				}
				if (trimmed.startsWith("#") || tripleQuote != null) {
					continue;
				}
			}
			else {
				if (inBlock) {
					if (trimmed.contains("*/")) {
						inBlock = false;
					}
					continue;
				}
				if (trimmed.startsWith("/*")) {
					inBlock = !trimmed.contains("*/");
					continue;
				}
				if (trimmed.startsWith("//") || trimmed.startsWith("*")) {
					continue;
				}
			}
			for (Pattern pattern : patterns) {
				Matcher m = pattern.matcher(line);
				if (m.matches() && (m.groupCount() == 0 || m.group(1) == null || !NOT_NAMES.contains(m.group(1)))) {
					found.add(new Definition(i + 1, stripBody(line)));
					break;
				}
			}
		}
		return found;
	}

	private static String stripBody(String line) {
		String text = line.stripTrailing();
		if (text.endsWith("{")) {
			text = text.substring(0, text.length() - 1).stripTrailing();
		}
		return text.length() > 200 ? text.substring(0, 200) + " …" : text;
	}

}
