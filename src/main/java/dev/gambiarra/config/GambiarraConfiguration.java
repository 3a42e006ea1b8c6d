package dev.gambiarra.config;

import java.time.Clock;

import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the typed properties, the HTTP codec limits derived from them, and the hub's clock.
 */
@Configuration(proxyBeanMethods = false)
@ConfigurationPropertiesScan("dev.gambiarra")
class GambiarraConfiguration {

	/**
	 * Request bodies are typed strictly: a number or boolean where a string belongs is a 400 naming the field, not
	 * silently turned into text.
	 */
	@Bean
	JsonMapperBuilderCustomizer strictTextCoercion() {
		return (builder) -> builder.withCoercionConfig(LogicalType.Textual, (config) -> config
			.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

	/**
	 * The one clock every timing decision reads (circuit breaker cool-downs, failed-attempt windows, presence,
	 * agent session idle time), so tests step time instead of waiting for it.
	 */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/** Decoders never hold more than one request body's worth of bytes in memory. */
	@Bean
	CodecCustomizer bodySizeCodecCustomizer(LimitsProperties limits) {
		return (configurer) -> configurer.defaultCodecs().maxInMemorySize((int) limits.maxBodySize().toBytes());
	}

}
