package dev.gambiarra.proxy;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** A participant's circuit breaker: in rotation, out of it, or serving its one trial request. */
public enum CircuitState {

	CLOSED, OPEN, HALF_OPEN;

	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
