package dev.gambiarra.participants;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.gambiarra.config.LimitsProperties;
import dev.gambiarra.outbound.EndpointPolicy;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Registration;
import dev.gambiarra.web.HubException;

/** Checks a join request field by field and turns it into a {@link Registration}, or explains what is wrong. */
@Component
class JoinValidator {

	private final LimitsProperties limits;

	private final ParticipantsProperties participants;

	private final EndpointPolicy endpoints;

	JoinValidator(LimitsProperties limits, ParticipantsProperties participants, EndpointPolicy endpoints) {
		this.limits = limits;
		this.participants = participants;
		this.endpoints = endpoints;
	}

	Registration validate(JoinRequest request) {
		boolean tunnel = Boolean.TRUE.equals(request.tunnel());
		if (isBlank(request.id()) || isBlank(request.nickname()) || isBlank(request.model())
				|| (!tunnel && isBlank(request.endpoint()))) {
			throw HubException.badRequest("Missing required fields: id, nickname, model, endpoint");
		}
		checkLength("id", request.id(), this.limits.maxFieldLength());
		checkLength("nickname", request.nickname(), this.limits.maxNameLength());
		checkLength("model", request.model(), this.limits.maxFieldLength());
		String endpoint;
		if (tunnel) {
			// The hub never dials a tunnel participant, so whatever endpoint it sent is neither checked nor stored.
			endpoint = Participant.TUNNEL;
		}
		else {
			checkLength("endpoint", request.endpoint(), this.limits.maxFieldLength());
			endpoint = this.endpoints.check(request.endpoint());
		}
		int maxConcurrent = this.participants.maxConcurrent();
		if (request.maxConcurrent() != null) {
			if (request.maxConcurrent() < 1 || request.maxConcurrent() > this.participants.maxConcurrentLimit()) {
				throw HubException.badRequest("Invalid value for field 'maxConcurrent': must be between 1 and "
						+ this.participants.maxConcurrentLimit());
			}
			maxConcurrent = request.maxConcurrent();
		}
		String apiKey = isBlank(request.apiKey()) ? null : request.apiKey();
		return new Registration(request.id(), request.nickname(), request.model(), endpoint, orEmpty(request.specs()),
				orEmpty(request.config()), apiKey, maxConcurrent);
	}

	private static void checkLength(String field, String value, int max) {
		if (value.length() > max) {
			throw HubException.badRequest("Field '" + field + "' is too long (max " + max + " characters)");
		}
	}

	private static boolean isBlank(@Nullable String value) {
		return value == null || value.isBlank();
	}

	private static Map<String, Object> orEmpty(@Nullable Map<String, Object> map) {
		return (map != null) ? map : Map.of();
	}

}
