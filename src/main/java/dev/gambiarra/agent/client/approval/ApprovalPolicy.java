package dev.gambiarra.agent.client.approval;

/**
 * Which requests run without asking. Critical requests always ask.
 *
 * @param autoApproveReads run low-risk (read-only) tools without asking
 * @param autoApproveWrites run medium-risk (file-changing) tools without asking
 * @param autoApproveCommands run allowed commands without asking (dangerous ones still ask)
 */
public record ApprovalPolicy(boolean autoApproveReads, boolean autoApproveWrites, boolean autoApproveCommands) {

	/** Asks for everything. */
	public static ApprovalPolicy askAlways() {
		return new ApprovalPolicy(false, false, false);
	}

	boolean autoApproves(RiskLevel risk) {
		return switch (risk) {
			case LOW -> this.autoApproveReads;
			case MEDIUM -> this.autoApproveWrites;
			case HIGH -> this.autoApproveCommands;
			case CRITICAL -> false;
		};
	}

}
