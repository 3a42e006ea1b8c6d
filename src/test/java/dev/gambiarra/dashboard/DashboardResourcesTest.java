package dev.gambiarra.dashboard;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard is plain static files in the jar: {@code /} serves the page, its modules come with a JavaScript
 * content type (browsers refuse ES modules otherwise), and the hub's own 404 and CORS handling still apply.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.console.enabled=false" })
@AutoConfigureWebTestClient
class DashboardResourcesTest {

	@Autowired
	private WebTestClient client;

	@Test
	void rootServesTheDashboardPage() {
		String page = this.client.get()
			.uri("/")
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("<title>Gambiarra hub</title>").contains("src=\"js/app.js\"");
	}

	@Test
	void modulesAndStylesHaveTheirContentTypes() {
		for (String module : new String[] { "app", "api", "overview", "room", "state", "ui" }) {
			this.client.get()
				.uri("/js/" + module + ".js")
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.value("Content-Type", (type) -> assertThat(type).contains("javascript"));
		}
		this.client.get()
			.uri("/dashboard.css")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/css");
		this.client.get().uri("/favicon.svg").exchange().expectStatus().isOk();
	}

	@Test
	void unknownPathsStillAnswerTheHubsJson404() {
		this.client.get()
			.uri("/no-such-page.html")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"error\":\"Not found\"}");
	}

	@Test
	void theApiStillWinsOverStaticFiles() {
		this.client.get()
			.uri("/rooms")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectHeader()
			.valueEquals("Access-Control-Allow-Origin", "*");
	}

}
