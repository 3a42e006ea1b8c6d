package dev.gambiarra.participants;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /rooms/{code}/join}, as the original clients send it plus our optional extras ({@code tunnel: true}: reached
 * through its own tunnel, any {@code endpoint} ignored).
 */
record JoinRequest(@Nullable String id, @Nullable String nickname, @Nullable String model, @Nullable String endpoint,
		@Nullable String password, @Nullable Map<String, Object> specs, @Nullable Map<String, Object> config,
		@Nullable String apiKey, @Nullable Integer maxConcurrent, @Nullable Boolean tunnel) {

	static final JoinRequest EMPTY = new JoinRequest(null, null, null, null, null, null, null, null, null, null);

}
