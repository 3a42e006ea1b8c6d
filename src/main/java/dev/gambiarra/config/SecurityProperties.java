package dev.gambiarra.config;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may register which endpoints, and how many wrong credentials a client may try.
 *
 * @param endpointDenyList networks a participant endpoint may never point at (CIDR); by default link-local and
 * cloud metadata addresses
 * @param endpointAllowList when not empty, the only networks a participant endpoint may point at (CIDR)
 * @param resolveEndpointHosts whether a host name in an endpoint is resolved at join to check its addresses
 * @param resolveTimeout longest wait for that resolution
 * @param maxFailedAttempts wrong passwords, host secrets, tokens one client address may present per window before
 * it gets 429
 * @param failedAttemptsWindow the window those failures are counted in
 * @param trackedClients client addresses remembered at once (bounded memory)
 */
@Validated
@ConfigurationProperties("gambiarra.security")
public record SecurityProperties(@DefaultValue({ "169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128" })
List<String> endpointDenyList, @DefaultValue List<String> endpointAllowList,
		@DefaultValue("true") boolean resolveEndpointHosts, @DefaultValue("2s") Duration resolveTimeout,
		@DefaultValue("10") @Min(1) int maxFailedAttempts, @DefaultValue("1m") Duration failedAttemptsWindow,
		@DefaultValue("10000") @Min(1) int trackedClients) {

}
