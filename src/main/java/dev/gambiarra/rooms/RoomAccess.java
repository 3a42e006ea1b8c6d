package dev.gambiarra.rooms;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.gambiarra.config.HubProperties;
import dev.gambiarra.events.EventAccess;
import dev.gambiarra.web.HubException;

/**
 * Who gets into what. A protected room guards everything about it: the caller presents the room password as
 * {@code Authorization: Bearer <password>} (so an OpenAI client's api key is the password) or
 * {@code X-Room-Password}. Owners act with their {@code hostId}, the operator with the hub admin token.
 */
@Component
public class RoomAccess implements EventAccess {

	public static final String PASSWORD_HEADER = "X-Room-Password";

	private final RoomService rooms;

	private final HubProperties hub;

	private final FailedAttempts failures;

	RoomAccess(RoomService rooms, HubProperties hub, FailedAttempts failures) {
		this.rooms = rooms;
		this.hub = hub;
		this.failures = failures;
	}

	/** The room, once the caller has shown it may use it: 404 when unknown, 401 when the password is wrong. */
	public Mono<Room> enter(String code, ServerWebExchange exchange) {
		return enter(code, caller(exchange.getRequest()));
	}

	/** {@link #enter(String, ServerWebExchange)} for a request the caller's credentials were read from. */
	public Mono<Room> enter(String code, Caller caller) {
		return Mono.defer(() -> {
			Room room = this.rooms.find(code).orElse(null);
			// Not in this hub's view (yet): a shared store may have it, created on another hub a moment ago.
			return (room != null) ? admit(room, caller) : this.rooms.resolve(code).flatMap((found) -> admit(found, caller));
		});
	}

	private Mono<Room> admit(Room room, Caller caller) {
		if (!room.isProtected() || isAdmin(caller.bearer())) {
			return Mono.just(room);
		}
		return checkPassword(room, caller.roomPassword(), caller.client()).thenReturn(room);
	}

	/** What a request presents to enter a room, read from its headers and remote address. */
	public static Caller caller(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		return caller(headers.getFirst(PASSWORD_HEADER), headers.getFirst(HttpHeaders.AUTHORIZATION),
				request.getRemoteAddress());
	}

	/** What a request presents, from its {@code X-Room-Password} and {@code Authorization} headers and its address. */
	public static Caller caller(@Nullable String passwordHeader, @Nullable String authorization,
			@Nullable InetSocketAddress remote) {
		String bearer = bearerOf(authorization);
		return new Caller(presentedPassword(passwordHeader, bearer), bearer, FailedAttempts.clientOf(remote));
	}

	/**
	 * Completes when {@code password} opens the room (open rooms take anything); 401 {@code Invalid password}
	 * otherwise, counted against the caller's address, and 429 once that address has failed too often.
	 */
	public Mono<Void> checkPassword(Room room, @Nullable String password, ServerWebExchange exchange) {
		return checkPassword(room, password, FailedAttempts.clientOf(exchange.getRequest()));
	}

	/**
	 * The room password check for callers that are not an HTTP exchange (the agent's WebSocket): the same argon2
	 * proof and the same per-address throttle, keyed by {@code client}.
	 */
	public Mono<Void> checkPassword(Room room, @Nullable String password, String client) {
		return Mono.defer(() -> {
			if (!room.isProtected()) {
				return Mono.empty();
			}
			this.failures.check(client);
			return this.rooms.passwordMatches(room, password).flatMap((ok) -> {
				if (ok) {
					return Mono.empty();
				}
				if (password != null && !password.isEmpty()) {
					this.failures.recordFailure(client);
				}
				return Mono.error(invalidPassword());
			});
		});
	}

	/** Passes when the caller holds the room's {@code hostId} or the hub admin token; 401/403 otherwise. */
	public Room requireHost(String code, ServerWebExchange exchange) {
		Room room = this.rooms.require(code);
		String credential = bearer(exchange.getRequest());
		if (credential == null) {
			throw new HubException(HttpStatus.UNAUTHORIZED, "Host credentials required", "unauthorized");
		}
		this.failures.check(exchange.getRequest());
		if (!this.rooms.isHost(room, credential) && !isAdmin(exchange.getRequest())) {
			this.failures.recordFailure(exchange.getRequest());
			throw new HubException(HttpStatus.FORBIDDEN, "Only the room host can do this", "forbidden");
		}
		return room;
	}

	/**
	 * Passes when the caller may act as this participant: with its token, or (in an open room, for the original
	 * clients) with its bare id. The host and the admin may too.
	 */
	public void requireParticipant(Room room, Participant participant, ServerWebExchange exchange) {
		String credential = bearer(exchange.getRequest());
		if (room.isProtected() || credential != null) {
			this.failures.check(exchange.getRequest());
		}
		if (RoomService.isParticipantToken(participant, credential) || isAdmin(exchange.getRequest())
				|| this.rooms.isHost(room, credential)) {
			return;
		}
		if (room.isProtected()) {
			if (credential != null) {
				this.failures.recordFailure(exchange.getRequest());
			}
			throw new HubException(HttpStatus.UNAUTHORIZED, "Invalid participant token", "invalid_token");
		}
	}

	@Override
	public Mono<Void> checkRoom(String code, ServerWebExchange exchange) {
		return enter(code, exchange).then();
	}

	@Override
	public Mono<Void> checkHub(ServerWebExchange exchange) {
		return Mono.fromRunnable(() -> requireAdmin(exchange));
	}

	/** Hub-wide operations: open when no admin token is configured, else the token is required. */
	public void requireAdmin(ServerWebExchange exchange) {
		if (this.hub.hasAdminToken() && !isAdmin(exchange.getRequest())) {
			if (bearer(exchange.getRequest()) != null) {
				this.failures.check(exchange.getRequest());
				this.failures.recordFailure(exchange.getRequest());
			}
			throw new HubException(HttpStatus.UNAUTHORIZED, "Admin token required", "unauthorized");
		}
	}

	boolean isAdmin(ServerHttpRequest request) {
		return isAdmin(bearer(request));
	}

	private boolean isAdmin(@Nullable String credential) {
		String token = this.hub.adminToken();
		return token != null && !token.isBlank() && credential != null
				&& MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
						credential.getBytes(StandardCharsets.UTF_8));
	}

	static HubException invalidPassword() {
		return new HubException(HttpStatus.UNAUTHORIZED, "Invalid password", "invalid_password");
	}

	/** The room password the caller presents: {@code X-Room-Password}, else the bearer token. */
	public static @Nullable String roomPassword(ServerHttpRequest request) {
		return presentedPassword(request.getHeaders().getFirst(PASSWORD_HEADER), bearer(request));
	}

	private static @Nullable String presentedPassword(@Nullable String passwordHeader, @Nullable String bearer) {
		return (passwordHeader != null) ? passwordHeader : bearer;
	}

	public static @Nullable String bearer(ServerHttpRequest request) {
		return bearer(request.getHeaders());
	}

	/** The token of an {@code Authorization: Bearer <token>} header, or {@code null}. */
	public static @Nullable String bearer(HttpHeaders headers) {
		return bearerOf(headers.getFirst(HttpHeaders.AUTHORIZATION));
	}

	/** The token of an {@code Authorization} header value {@code Bearer <token>}, or {@code null}. */
	public static @Nullable String bearerOf(@Nullable String authorization) {
		if (authorization == null || authorization.length() < 7
				|| !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = authorization.substring(7).trim();
		return token.isEmpty() ? null : token;
	}

	/**
	 * The credentials of a caller: the room password it presents ({@code X-Room-Password}, else its bearer token),
	 * its bearer token (the admin token, maybe) and its address (what failed attempts are counted under).
	 */
	public record Caller(@Nullable String roomPassword, @Nullable String bearer, String client) {
	}

}
