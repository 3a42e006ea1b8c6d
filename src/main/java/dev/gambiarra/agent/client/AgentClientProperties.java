package dev.gambiarra.agent.client;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code agent} command: which hub it talks to, how requests are approved, what commands may run and how much
 * the file tools read. Command-line options override the first few.
 *
 * @param hub the hub's URL when {@code --hub} is not given
 * @param token the hub's agent token ({@code gambiarra.agent.token} on the hub), when it requires one
 * @param workspace the workspace folder when {@code --workspace} is not given
 * @param connectTimeout how long to wait for the WebSocket connection
 * @param maxResumes how many times a dropped connection is resumed before the run gives up
 * @param resumeDelay pause before the first resume (times the attempt number after that)
 * @param approvals what runs without asking
 * @param commands what {@code execute_command} may run
 * @param files bounds and backups of the file tools
 */
@Validated
@ConfigurationProperties("gambiarra.agent.client")
record AgentClientProperties(@DefaultValue("http://localhost:3000") String hub, @Nullable String token,
		@DefaultValue(".") String workspace, @DefaultValue("5s") Duration connectTimeout,
		@DefaultValue("3") @Min(0) int maxResumes, @DefaultValue("1s") Duration resumeDelay,
		@DefaultValue ApprovalSettings approvals, @DefaultValue CommandSettings commands,
		@DefaultValue FileSettings files) {

	/**
	 * @param autoApproveReads run read-only tools without asking
	 * @param autoApproveWrites run file-changing tools without asking
	 * @param autoApproveCommands run allowed commands without asking (dangerous ones always ask)
	 */
	record ApprovalSettings(@DefaultValue("false") boolean autoApproveReads,
			@DefaultValue("false") boolean autoApproveWrites, @DefaultValue("false") boolean autoApproveCommands) {
	}

	/**
	 * @param allow programs commands may run; unset means the built-in list of build and inspection tools; {@code *}
	 * allows any program that is not denied
	 * @param deny programs never run; unset means the built-in list of remote-access and network tools
	 * @param allowDangerous let dangerous commands run after an explicit (critical) approval instead of refusing them
	 * @param timeout a command still running after this is killed with its children
	 * @param maxOutput output kept per command (head and tail; the middle is dropped)
	 */
	record CommandSettings(@Nullable List<String> allow, @Nullable List<String> deny,
			@DefaultValue("false") boolean allowDangerous, @DefaultValue("120s") Duration timeout,
			@DefaultValue("64KB") DataSize maxOutput) {
	}

	/**
	 * @param maxFileSize largest file read or edited
	 * @param maxReadLines lines one read_file returns without a line range
	 * @param maxListEntries entries one list_files returns
	 * @param maxSearchResults matches one search_files returns
	 * @param searchTimeout time budget of one search_files
	 * @param backupDir folder (relative to the workspace) for backups made before every change; empty turns them off
	 * @param ignore patterns hidden in addition to the defaults and {@code .gambiarraignore}
	 */
	record FileSettings(@DefaultValue("2MB") DataSize maxFileSize, @DefaultValue("2000") @Min(1) int maxReadLines,
			@DefaultValue("1000") @Min(1) int maxListEntries, @DefaultValue("300") @Min(1) int maxSearchResults,
			@DefaultValue("10s") Duration searchTimeout, @DefaultValue(".gambiarra/backups") String backupDir,
			@Nullable List<String> ignore) {
	}

}
