package dev.gambiarra.events;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Who may watch what. Implemented where rooms and credentials live; an error signal (a {@code HubException}) refuses
 * the subscription before the stream starts, so the refusal is an ordinary JSON error.
 */
public interface EventAccess {

	/** Completes when the caller may watch the room {@code code}; fails with 404 or 401 otherwise. */
	Mono<Void> checkRoom(String code, ServerWebExchange exchange);

	/** Completes when the caller may watch the whole hub. */
	Mono<Void> checkHub(ServerWebExchange exchange);

}
