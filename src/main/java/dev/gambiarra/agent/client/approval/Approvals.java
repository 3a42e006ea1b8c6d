package dev.gambiarra.agent.client.approval;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the user before a tool runs, according to its risk level and the policy: {@code y} approves once, {@code a}
 * approves this tool for the rest of the session, {@code n} denies (text after it, as in {@code n use argparse}, goes
 * back to the model as feedback). End of input denies. Critical requests offer neither "always" nor auto-approval.
 */
public class Approvals {

	/**
	 * The user's answer.
	 * @param approved whether the request may run
	 * @param feedback what the user said when denying (may be empty)
	 */
	public record Decision(boolean approved, String feedback) {

		static Decision approve() {
			return new Decision(true, "");
		}

	}

	private final ApprovalPolicy policy;

	private final AgentConsole console;

	private final Set<String> alwaysApproved = ConcurrentHashMap.newKeySet();

	public Approvals(ApprovalPolicy policy, AgentConsole console) {
		this.policy = policy;
		this.console = console;
	}

	/**
	 * Decides whether a request may run, asking the user when needed.
	 * @param tool the tool's name
	 * @param risk the request's risk
	 * @param summary one or more lines that show the user what will happen
	 * @return the decision
	 */
	public Decision decide(String tool, RiskLevel risk, String summary) {
		if (risk != RiskLevel.CRITICAL && (this.policy.autoApproves(risk) || this.alwaysApproved.contains(tool))) {
			this.console.println("[auto-approved " + risk.label() + "] " + firstLine(summary));
			return Decision.approve();
		}
		this.console.println("");
		this.console.println("── " + tool + " (risk: " + risk.label() + ") ──");
		this.console.println(summary);
		String choices = (risk == RiskLevel.CRITICAL) ? "[y]es / [n]o" : "[y]es / [n]o / [a]lways for " + tool;
		while (true) {
			String line = this.console.ask("Approve? " + choices + " > ");
			if (line == null) {
				this.console.println("(no input: denied)");
				return new Decision(false, "");
			}
			String answer = line.strip();
			String word = answer.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
			String rest = answer.length() > word.length() ? answer.substring(word.length()).strip() : "";
			switch (word) {
				case "y", "yes" -> {
					return Decision.approve();
				}
				case "a", "always" -> {
					if (risk == RiskLevel.CRITICAL) {
						this.console.println("A critical request cannot be approved for always; answer y or n.");
						continue;
					}
					this.alwaysApproved.add(tool);
					return Decision.approve();
				}
				case "n", "no" -> {
					return new Decision(false, rest);
				}
				default -> this.console.println("Please answer " + choices + ".");
			}
		}
	}

	private static String firstLine(String text) {
		int eol = text.indexOf('\n');
		return (eol < 0) ? text : text.substring(0, eol) + " …";
	}

}
