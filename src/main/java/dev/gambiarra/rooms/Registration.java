package dev.gambiarra.rooms;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/** What a participant asks to register, already validated by the web layer. */
public record Registration(String id, String nickname, String model, String endpoint, Map<String, Object> specs,
		Map<String, Object> config, @Nullable String apiKey, int maxConcurrent) {

}
