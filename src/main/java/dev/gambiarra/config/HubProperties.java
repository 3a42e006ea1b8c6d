package dev.gambiarra.config;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Hub-wide settings that belong to no single feature.
 *
 * @param adminToken when set, guards hub-wide operations (the hub event stream, closing any room, metrics)
 */
@ConfigurationProperties("gambiarra")
public record HubProperties(@Nullable String adminToken) {

	public boolean hasAdminToken() {
		return this.adminToken != null && !this.adminToken.isBlank();
	}

}
