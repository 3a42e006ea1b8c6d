package dev.gambiarra.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.HubClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium against a real hub on a random port. Run with {@code -Pbrowser}
 * ({@code .ci/browser-tests} installs the browser first); the default build skips the {@code browser} tag.
 */
@Tag("browser")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.console.enabled=false" })
@AutoConfigureWebTestClient
class DashboardBrowserTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

	private static Chromium chromium;

	private static FakeLlm llm;

	@LocalServerPort
	private int port;

	@Autowired
	private WebTestClient client;

	@BeforeAll
	static void startBrowser() throws IOException {
		llm = FakeLlm.start();
		chromium = Chromium.start();
	}

	@AfterAll
	static void stopBrowser() throws IOException {
		if (chromium != null) {
			chromium.close();
		}
		if (llm != null) {
			llm.close();
		}
	}

	@Test
	void overviewAndRoomPagesLoadWithoutConsoleErrors() {
		HubClient.CreatedRoom room = hub().createRoom("Open lounge");
		hub().join(room.code(), Map.of("id", "p-lounge", "nickname", "Lounge GPU", "model", "llama3:8b", "endpoint",
				llm.endpoint(), "specs", Map.of("gpu", "RTX 3060", "vram", "12GB")));
		chromium.consoleSinceLastCall();

		open("/");
		waitFor(() -> text("[data-room=\"" + room.code() + "\"] [data-col=\"participants\"]").equals("1"));
		waitFor(() -> "live".equals(connectionState()));
		assertThat(Integer.parseInt(text("[data-total=\"online\"]"))).isGreaterThanOrEqualTo(1);
		assertThat(text("[data-total=\"rps\"]")).isEqualTo("0.0");

		driver().findElement(By.linkText("Open lounge")).click();
		waitFor(() -> driver().findElements(By.cssSelector("[data-participant=\"p-lounge\"]")).size() == 1);
		waitFor(() -> "live".equals(connectionState()));
		assertThat(text("[data-participant=\"p-lounge\"] .specs")).contains("GPU RTX 3060").contains("VRAM 12GB");
		assertThat(driver().findElement(By.cssSelector("[data-base-url]")).getDomProperty("value"))
			.isEqualTo(base() + "/rooms/" + room.code() + "/v1");

		assertThat(consoleErrors()).isEmpty();
	}

	@Test
	void aParticipantJoiningAppearsLive() {
		HubClient.CreatedRoom room = hub().createRoom("Live joins");
		open("/#/room/" + room.code());
		waitFor(() -> "live".equals(connectionState()));
		assertThat(driver().findElement(By.cssSelector("[data-cards-empty]")).isDisplayed()).isTrue();

		hub().join(room.code(), Map.of("id", "p-new", "nickname", "Newcomer", "model", "qwen2.5:7b", "endpoint",
				llm.endpoint()));

		waitFor(() -> driver().findElements(By.cssSelector("[data-participant=\"p-new\"]")).size() == 1);
		assertThat(text("[data-participant=\"p-new\"] h3")).isEqualTo("Newcomer");
		assertThat(text("[data-participant=\"p-new\"] .badge")).isEqualTo("online");
		assertThat(text("[data-log]")).contains("participant:joined").contains("Newcomer (qwen2.5:7b)");
		assertThat(routeOptions()).contains("*", "model:qwen2.5:7b", "p-new");
	}

	@Test
	void aStreamedAnswerRendersTokenByToken() throws IOException {
		try (FakeLlm slow = FakeLlm.start()) {
			Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
			slow.on("/v1/chat/completions", (request, response) -> FakeLlm.sse(response, chunks.asFlux()));
			HubClient.CreatedRoom room = hub().createRoom("Streaming");
			hub().join(room.code(), Map.of("id", "p-slow", "nickname", "Slow Poke", "model", "mistral:7b",
					"endpoint", slow.endpoint(), "specs", Map.of("gpu", "GTX 1080")));
			open("/#/room/" + room.code());
			waitFor(() -> routeOptions().contains("model:mistral:7b"));
			driver().findElement(By.cssSelector("[data-route] option[value=\"model:mistral:7b\"]")).click();
			WebElement prompt = driver().findElement(By.cssSelector("[data-chat] textarea"));
			prompt.clear();
			prompt.sendKeys("Greet the club");
			driver().findElement(By.cssSelector("[data-send]")).click();

			await().atMost(WAIT).until(() -> !slow.received().isEmpty());
			assertThat(slow.lastReceived().body()).contains("\"model\":\"mistral:7b\"").contains("Greet the club");
			chunks.tryEmitNext(FakeLlm.chunk("Hello"));
			waitFor(() -> text("[data-answer]").equals("Hello"));
			assertThat(answerState()).isEqualTo("streaming");
			assertThat(driver().findElement(By.cssSelector("[data-send]")).isEnabled()).isFalse();

			chunks.tryEmitNext(FakeLlm.chunk(", book"));
			waitFor(() -> text("[data-answer]").equals("Hello, book"));
			assertThat(answerState()).isEqualTo("streaming");

			chunks.tryEmitNext(FakeLlm.chunk(" club!"));
			chunks.tryEmitNext("[DONE]");
			chunks.tryEmitComplete();
			waitFor(() -> "done".equals(answerState()));
			assertThat(text("[data-answer]")).isEqualTo("Hello, book club!");
			assertThat(text("[data-chat-status]")).startsWith("done in");
			waitFor(() -> text("[data-log]").contains("llm:request"));
			screenshot("room-after-streamed-answer");
		}
	}

	@Test
	void aProtectedRoomAsksForItsPasswordAndSendsItOnlyAsAHeader() {
		String password = "club-secret-42";
		HubClient.CreatedRoom room = hub().createRoom(Map.of("name", "Members only", "password", password));
		hub().join(room.code(), Map.of("id", "p-member", "nickname", "Member", "model", "phi3", "endpoint",
				llm.endpoint(), "password", password));
		open("/#/room/" + room.code());
		waitFor(() -> driver().findElement(By.cssSelector("[data-password-panel]")).isDisplayed());
		assertThat(connectionState()).isEqualTo("unauthorized");
		assertThat(driver().findElements(By.cssSelector("[data-participant]"))).isEmpty();

		WebElement field = driver().findElement(By.cssSelector("[data-password] input"));
		field.sendKeys("wrong-password");
		driver().findElement(By.cssSelector("[data-password] button")).click();
		waitFor(() -> text("[data-password-error]").equals("Invalid password"));

		field.sendKeys(password);
		driver().findElement(By.cssSelector("[data-password] button")).click();
		waitFor(() -> driver().findElements(By.cssSelector("[data-participant=\"p-member\"]")).size() == 1);
		waitFor(() -> "live".equals(connectionState()));
		assertThat(driver().findElement(By.cssSelector("[data-password-panel]")).isDisplayed()).isFalse();

		hub().join(room.code(), Map.of("id", "p-late", "nickname", "Latecomer", "model", "phi3", "endpoint",
				llm.endpoint(), "password", password));
		waitFor(() -> driver().findElements(By.cssSelector("[data-participant=\"p-late\"]")).size() == 1);

		assertThat(driver().getCurrentUrl()).doesNotContain(password);
		Object stored = driver().executeScript(
				"return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie");
		assertThat(String.valueOf(stored)).doesNotContain(password);
	}

	@Test
	void aRoomCreatedOnThePageCanBeClosedByItsHost() {
		open("/");
		driver().findElement(By.cssSelector("[data-create] input[name=name]")).sendKeys("Friday night");
		driver().findElement(By.cssSelector("[data-create] button")).click();
		waitFor(() -> driver().getCurrentUrl().contains("#/room/"));
		String code = driver().getCurrentUrl().replaceAll(".*#/room/", "");
		waitFor(() -> text("[data-room-code]").equals(code));
		assertThat(text("[data-room-name]")).isEqualTo("Friday night");
		Object hostId = driver().executeScript("return localStorage.getItem('gambiarra.host." + code + "')");
		assertThat(String.valueOf(hostId)).isNotBlank().isNotEqualTo("null");

		WebElement close = driver().findElement(By.cssSelector("[data-close]"));
		assertThat(close.isDisplayed()).isTrue();
		close.click();
		assertThat(close.getText()).contains("Click again");
		close.click();
		waitFor(() -> !driver().getCurrentUrl().contains("#/room/"));

		JsonNode rooms = this.client.get().uri("/rooms").exchange().expectBody(JsonNode.class).returnResult()
			.getResponseBody();
		assertThat(rooms.get("rooms").findValuesAsString("code")).doesNotContain(code);
		assertThat(driver().executeScript("return localStorage.getItem('gambiarra.host." + code + "')")).isNull();
	}

	@Test
	void aDroppedEventStreamShowsDisconnectedAndRecovers() throws IOException {
		HubClient.CreatedRoom room = hub().createRoom("Flaky network");
		try (TcpRelay relay = TcpRelay.to(this.port)) {
			driver().get("http://127.0.0.1:" + relay.port() + "/#/room/" + room.code());
			waitFor(() -> "live".equals(connectionState()));

			relay.cut();
			waitFor(() -> "disconnected".equals(connectionState()));
			assertThat(text("#conn")).startsWith("disconnected");
			screenshot("room-disconnected");

			relay.restore();
			waitFor(() -> "live".equals(connectionState()));
			hub().join(room.code(), Map.of("id", "p-back", "nickname", "Back again", "model", "gemma2", "endpoint",
					llm.endpoint()));
			waitFor(() -> driver().findElements(By.cssSelector("[data-participant=\"p-back\"]")).size() == 1);
		}
	}

	private HubClient hub() {
		return new HubClient(this.client.mutate().responseTimeout(WAIT).build());
	}

	private ChromeDriver driver() {
		return chromium.driver();
	}

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

	private void open(String path) {
		// A fresh document each time, so no view or stream of an earlier test lingers.
		driver().get("about:blank");
		driver().get(base() + path);
	}

	private String text(String css) {
		List<WebElement> found = driver().findElements(By.cssSelector(css));
		return found.isEmpty() ? "" : found.get(0).getText();
	}

	private String connectionState() {
		return driver().findElement(By.id("conn")).getDomAttribute("data-state");
	}

	private String answerState() {
		return driver().findElement(By.cssSelector("[data-answer]")).getDomAttribute("data-state");
	}

	private List<String> routeOptions() {
		return driver().findElements(By.cssSelector("[data-route] option"))
			.stream()
			.map((option) -> option.getDomAttribute("value"))
			.toList();
	}

	/**
	 * Errors Chromium logged: script errors, failed loads. The one expected miss is {@code GET /rooms/X/stats} on a hub
	 * that does not serve stats yet (404): the page degrades to metrics computed from events.
	 */
	private List<String> consoleErrors() {
		return chromium.consoleSinceLastCall()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.filter((message) -> !(message.contains("/stats") && message.contains("404")))
			.toList();
	}

	private static void waitFor(java.util.concurrent.Callable<Boolean> condition) {
		await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
	}

	private void screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		Path shot = driver().getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

}
