package dev.gambiarra.demo;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The demo room.
 *
 * @param enabled create the demo room with its embedded test LLM participant when the hub starts
 * @param roomCode the demo room's fixed code
 * @param roomName the demo room's name
 * @param model model name the embedded test LLM serves
 * @param nickname the embedded participant's nickname
 * @param chunks content chunks per streamed answer (0: one per word)
 * @param delay pause between streamed chunks, so streaming is visible
 * @param heartbeat how often the embedded participant reports itself alive
 */
@Validated
@ConfigurationProperties("gambiarra.demo")
record DemoProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("DEMO42") @Pattern(regexp = "[A-Za-z0-9]{6}") String roomCode,
		@DefaultValue("Demo room") String roomName, @DefaultValue("test-llm") String model,
		@DefaultValue("demo-llm") String nickname, @DefaultValue("0") @Min(0) @Max(10_000) int chunks,
		@DefaultValue("30ms") Duration delay, @DefaultValue("10s") Duration heartbeat) {

}
