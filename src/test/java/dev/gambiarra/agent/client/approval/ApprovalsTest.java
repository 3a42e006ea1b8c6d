package dev.gambiarra.agent.client.approval;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApprovalsTest {

	final ByteArrayOutputStream out = new ByteArrayOutputStream();

	Approvals approvals(ApprovalPolicy policy, String answers) {
		return new Approvals(policy, new AgentConsole(new ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)),
				new PrintStream(this.out, true, StandardCharsets.UTF_8)));
	}

	@Test
	void asksForEveryRiskByDefaultAndHonoursYesAndNo() {
		Approvals approvals = approvals(ApprovalPolicy.askAlways(), "y\nno\nYES\nn because\n");
		assertThat(approvals.decide("read_file", RiskLevel.LOW, "Read a.txt").approved()).isTrue();
		assertThat(approvals.decide("write_to_file", RiskLevel.MEDIUM, "Create b.txt").approved()).isFalse();
		assertThat(approvals.decide("execute_command", RiskLevel.HIGH, "Run ls").approved()).isTrue();
		Approvals.Decision denied = approvals.decide("execute_command", RiskLevel.HIGH, "Run ls");
		assertThat(denied.approved()).isFalse();
		assertThat(denied.feedback()).isEqualTo("because");
		assertThat(this.out.toString(StandardCharsets.UTF_8)).contains("read_file (risk: low)",
				"write_to_file (risk: medium)", "execute_command (risk: high)", "[a]lways for execute_command");
	}

	@Test
	void autoApprovesReadsOnlyWhenTheFlagSaysSo() {
		Approvals approvals = approvals(new ApprovalPolicy(true, false, false), "n\n");
		assertThat(approvals.decide("read_file", RiskLevel.LOW, "Read a.txt").approved()).isTrue();
		assertThat(approvals.decide("write_to_file", RiskLevel.MEDIUM, "Create b.txt").approved()).isFalse();
		assertThat(this.out.toString(StandardCharsets.UTF_8)).contains("[auto-approved low] Read a.txt");
	}

	@Test
	void alwaysApprovesTheSameToolForTheRestOfTheSessionOnly() {
		Approvals approvals = approvals(ApprovalPolicy.askAlways(), "a\nn\n");
		assertThat(approvals.decide("write_to_file", RiskLevel.MEDIUM, "Create a").approved()).isTrue();
		assertThat(approvals.decide("write_to_file", RiskLevel.MEDIUM, "Create b").approved()).isTrue();
		assertThat(approvals.decide("insert_content", RiskLevel.MEDIUM, "Insert").approved()).isFalse();
	}

	@Test
	void criticalRequestsAreNeverAutomaticAndRefuseAlways() {
		Approvals approvals = approvals(new ApprovalPolicy(true, true, true), "a\nwhat\ny\n");
		assertThat(approvals.decide("execute_command", RiskLevel.CRITICAL, "rm -rf *").approved()).isTrue();
		String printed = this.out.toString(StandardCharsets.UTF_8);
		assertThat(printed).contains("cannot be approved for always", "Please answer [y]es / [n]o.");
	}

	@Test
	void endOfInputDenies() {
		Approvals approvals = approvals(ApprovalPolicy.askAlways(), "");
		assertThat(approvals.decide("execute_command", RiskLevel.HIGH, "Run ls").approved()).isFalse();
	}

}
