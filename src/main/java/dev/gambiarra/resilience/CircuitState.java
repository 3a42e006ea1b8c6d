package dev.gambiarra.resilience;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** A circuit breaker's state: letting requests through, refusing them, or letting its one trial request through. */
public enum CircuitState {

	CLOSED, OPEN, HALF_OPEN;

	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
