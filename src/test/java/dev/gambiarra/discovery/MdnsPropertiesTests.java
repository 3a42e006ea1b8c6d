package dev.gambiarra.discovery;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class MdnsPropertiesTests {

	@Test
	void interfacePropertyBindsDespiteBeingAJavaKeyword() {
		MdnsProperties properties = bind(Map.of("gambiarra.mdns.enabled", "true", "gambiarra.mdns.interface", "eth0",
				"gambiarra.mdns.browse-timeout", "2s"));

		assertThat(properties).isEqualTo(new MdnsProperties(true, "eth0", Duration.ofSeconds(2)));
	}

	@Test
	void defaultsAreOffAnyInterfaceAndSixSeconds() {
		MdnsProperties properties = bind(Map.of("gambiarra.other", "x"));

		assertThat(properties).isEqualTo(new MdnsProperties(false, null, Duration.ofSeconds(6)));
	}

	private static MdnsProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("gambiarra.mdns", MdnsProperties.class);
	}

}
