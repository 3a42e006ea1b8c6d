package dev.gambiarra.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /health}: the liveness answer the original clients poll. */
@RestController
class HubHealthController {

	@GetMapping("/health")
	HealthResponse health() {
		return new HealthResponse("ok", System.currentTimeMillis());
	}

	record HealthResponse(String status, long timestamp) {
	}

}
