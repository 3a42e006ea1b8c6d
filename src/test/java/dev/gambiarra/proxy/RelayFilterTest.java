package dev.gambiarra.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which paths the relay serves: exactly the three operations under a non-empty room code. */
class RelayFilterTest {

	@Test
	void theThreeOperationsOfARoomAreRelayed() {
		assertThat(RelayFilter.match("/rooms/ABC123/v1/chat/completions"))
			.isEqualTo(new RelayFilter.Relay("ABC123", "chat/completions"));
		assertThat(RelayFilter.match("/rooms/ABC123/v1/completions"))
			.isEqualTo(new RelayFilter.Relay("ABC123", "completions"));
		assertThat(RelayFilter.match("/rooms/ABC123/v1/embeddings"))
			.isEqualTo(new RelayFilter.Relay("ABC123", "embeddings"));
	}

	@Test
	void anEncodedRoomCodeIsDecodedAsAPathVariableWouldBe() {
		assertThat(RelayFilter.match("/rooms/AB%20C/v1/completions")).isEqualTo(new RelayFilter.Relay("AB C", "completions"));
	}

	@Test
	void everyOtherPathGoesOnToTheDispatcher() {
		assertThat(RelayFilter.match("/rooms/ABC123/v1/models")).isNull();
		assertThat(RelayFilter.match("/rooms/ABC123/v1/chat/completions/")).isNull();
		assertThat(RelayFilter.match("/rooms/ABC123/v1/chat/completionsX")).isNull();
		assertThat(RelayFilter.match("/rooms/ABC123/v1/chat")).isNull();
		assertThat(RelayFilter.match("/rooms//v1/chat/completions")).isNull();
		assertThat(RelayFilter.match("/rooms/A/B/v1/chat/completions")).isNull();
		assertThat(RelayFilter.match("/rooms/ABC123/v2/chat/completions")).isNull();
		assertThat(RelayFilter.match("/rooms/ABC123")).isNull();
		assertThat(RelayFilter.match("/v1/chat/completions")).isNull();
		assertThat(RelayFilter.match("/rooms")).isNull();
	}

}
