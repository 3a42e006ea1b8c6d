package dev.gambiarra.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.gambiarra.support.DemoHubTest;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A fresh hub has the demo room, its test LLM answers, and it never goes offline. */
@DemoHubTest
class DemoRoomTest {

	@LocalServerPort
	private int port;

	@Autowired
	private RoomService rooms;

	@Test
	void theDemoRoomAnswersAnOpenAiCallOutOfTheBox() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.rooms.find("demo42").isPresent());
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/rooms/DEMO42/v1/chat/completions"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"model\":\"*\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("You said: hello", "\"usage\"");
	}

	@Test
	void theDemoParticipantStaysOnlineAcrossPresenceSweeps() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.rooms.find("DEMO42").isPresent());
		Room room = this.rooms.require("DEMO42");
		Participant participant = room.participant(DemoRoom.PARTICIPANT_ID);
		assertThat(participant).isNotNull();
		assertThat(participant.model()).isEqualTo("test-llm");
		// Heartbeats every 100 ms here: a sweep with a 400 ms timeout never finds it stale, for well over 400 ms.
		await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(() -> {
			this.rooms.sweep(Duration.ofMillis(400)).block(Duration.ofSeconds(10));
			Participant now = room.participant(DemoRoom.PARTICIPANT_ID);
			return now != null && now.isOnline();
		});
	}

}
