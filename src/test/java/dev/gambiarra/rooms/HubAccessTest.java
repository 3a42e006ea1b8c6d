package dev.gambiarra.rooms;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.gambiarra.config.HubProperties;
import dev.gambiarra.web.HubException;

import static org.mockito.Mockito.mock;

class HubAccessTest {

	private static MockServerWebExchange exchange(String bearer) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/events");
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return MockServerWebExchange.from(request);
	}

	@Test
	void withoutAnAdminTokenTheHubStreamIsOpen() {
		RoomAccess access = new RoomAccess(mock(RoomService.class), new HubProperties(null), mock(FailedAttempts.class));
		StepVerifier.create(access.checkHub(exchange(null))).verifyComplete();
	}

	@Test
	void withAnAdminTokenTheHubStreamNeedsIt() {
		RoomAccess access = new RoomAccess(mock(RoomService.class), new HubProperties("s3cret-admin"), mock(FailedAttempts.class));
		StepVerifier.create(access.checkHub(exchange(null))).verifyError(HubException.class);
		StepVerifier.create(access.checkHub(exchange("wrong"))).verifyError(HubException.class);
		StepVerifier.create(access.checkHub(exchange("s3cret-admin"))).verifyComplete();
	}

}
