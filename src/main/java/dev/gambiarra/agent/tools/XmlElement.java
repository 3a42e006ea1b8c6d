package dev.gambiarra.agent.tools;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One element of a parsed tool call: a leaf with text, or a parent with child elements (in document order).
 */
public record XmlElement(String name, @Nullable String text, List<XmlElement> children) {

	public XmlElement {
		children = List.copyOf(children);
	}

	static XmlElement leaf(String name, String text) {
		return new XmlElement(name, text, List.of());
	}

	public boolean isLeaf() {
		return this.text != null;
	}

	/** The children named {@code childName}. */
	public List<XmlElement> children(String childName) {
		return this.children.stream().filter((child) -> child.name().equals(childName)).toList();
	}

}
