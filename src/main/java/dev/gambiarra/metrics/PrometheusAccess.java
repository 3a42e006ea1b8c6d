package dev.gambiarra.metrics;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.gambiarra.rooms.RoomAccess;

/**
 * Metrics name rooms and participants, so {@code /actuator/prometheus} (and every other actuator path but
 * {@code /actuator/health/**}, which probes need) requires the hub admin token ({@code Authorization: Bearer <token>})
 * when one is configured. Paths are compared segment by segment, as the handler mapping matches them, so
 * {@code /actuator/prometheus;x} or {@code //actuator/prometheus} cannot slip past.
 */
@Component
class PrometheusAccess implements WebFilter {

	private final RoomAccess access;

	PrometheusAccess(RoomAccess access) {
		this.access = access;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (guarded(exchange.getRequest().getPath().pathWithinApplication())) {
			return Mono.fromRunnable(() -> this.access.requireAdmin(exchange))
				.then(Mono.defer(() -> chain.filter(exchange)));
		}
		return chain.filter(exchange);
	}

	static boolean guarded(PathContainer path) {
		List<String> segments = new ArrayList<>(2);
		for (PathContainer.Element element : path.elements()) {
			if (element instanceof PathContainer.PathSegment segment && !segment.valueToMatch().isEmpty()) {
				segments.add(segment.valueToMatch());
				if (segments.size() == 2) {
					break;
				}
			}
		}
		if (segments.isEmpty() || !segments.get(0).equals("actuator")) {
			return false;
		}
		return segments.size() < 2 || !segments.get(1).equals("health");
	}

}
