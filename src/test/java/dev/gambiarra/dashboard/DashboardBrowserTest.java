package dev.gambiarra.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
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

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.support.FakeLlm;
import dev.gambiarra.support.TcpRelay;
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

	@Autowired
	private EventBus events;

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
		for (int i = 0; i < 5; i++) {
			this.events.publish(HubEvent.llmRequest(room.code(), "p-lounge", "llama3:8b", "rps-" + i));
		}
		waitFor(() -> text("[data-total=\"rps\"]").equals("0.5"));
		hub().join(room.code(), Map.of("id", "p-lounge-2", "nickname", "Second", "model", "llama3:8b", "endpoint",
				llm.endpoint()));
		waitFor(() -> text("[data-room=\"" + room.code() + "\"] [data-col=\"participants\"]").equals("2"));

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
		assertThat(driver().findElements(By.cssSelector("[data-participant=\"p-new\"] .tunnel-mark"))).isEmpty();

		hub().join(room.code(), Map.of("id", "p-nat", "nickname", "Behind NAT", "model", "qwen2.5:7b", "tunnel",
				true));
		waitFor(() -> driver().findElements(By.cssSelector("[data-participant=\"p-nat\"]")).size() == 1);
		assertThat(text("[data-participant=\"p-nat\"] .tunnel-mark")).isEqualTo("tunnel");
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
			// The page tagged its request with its own X-Request-Id, so the request leaves "in flight" once done.
			waitFor(() -> text("[data-participant=\"p-slow\"] [data-metric=\"inflight\"]").equals("0"));
			screenshot("room-after-streamed-answer");
		}
	}

	@Test
	void cardsFollowStatusAndRequestEvents() {
		HubClient.CreatedRoom room = hub().createRoom("Metrics");
		hub().join(room.code(), Map.of("id", "p-busy", "nickname", "Busy Bee", "model", "llama3", "endpoint",
				llm.endpoint()));
		open("/#/room/" + room.code());
		waitFor(() -> driver().findElements(By.cssSelector("[data-participant=\"p-busy\"]")).size() == 1);
		waitFor(() -> "live".equals(connectionState()));
		String card = "[data-participant=\"p-busy\"] ";

		this.events.publish(HubEvent.llmRequest(room.code(), "p-busy", "llama3", "req-1"));
		this.events.publish(HubEvent.participantBusy(room.code(), "p-busy"));
		waitFor(() -> text(card + "[data-metric=\"inflight\"]").equals("1"));
		waitFor(() -> text(card + ".badge").equals("busy"));

		this.events.publish(new HubEvent(room.code(), "llm:complete", HubEvent.fields("participantId", "p-busy",
				"model", "llama3", "requestId", "req-1", "metrics", Map.of("tokens", 42, "latencyFirstTokenMs", 120,
						"durationMs", 900, "tokensPerSecond", 46.7))));
		this.events.publish(HubEvent.participantOnline(room.code(), "p-busy"));
		waitFor(() -> text(card + "[data-metric=\"inflight\"]").equals("0"));
		assertThat(text(card + "[data-metric=\"done\"]")).isEqualTo("1 / 0");
		assertThat(text(card + "[data-metric=\"ttft\"]")).isEqualTo("120 ms");
		assertThat(text(card + "[data-metric=\"tps\"]")).isEqualTo("46.7");
		// participant:online follows llm:complete, and the page may not have applied it yet.
		waitFor(() -> text(card + ".badge").equals("online"));
		assertThat(driver().findElements(By.cssSelector(card + "svg.spark polyline"))).hasSize(1);
		assertThat(text("[data-log]")).contains("42 tokens, TTFT 120 ms, 46.7 tok/s");

		this.events.publish(HubEvent.llmError(room.code(), "p-busy", "upstream closed", "req-2"));
		waitFor(() -> text(card + "[data-metric=\"done\"]").equals("1 / 1"));
		this.events.publish(HubEvent.participantOffline(room.code(), "p-busy"));
		waitFor(() -> text(card + ".badge").equals("offline"));
		assertThat(routeOptions()).doesNotContain("p-busy");
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

	@Test
	void controlsAreKeyboardReachableLabelledAndReadable() {
		HubClient.CreatedRoom room = hub().createRoom("Accessible room");
		hub().join(room.code(), Map.of("id", "p-a11y", "nickname", "Screen reader friend", "model", "llama3",
				"endpoint", llm.endpoint()));
		open("/");
		waitFor(() -> "live".equals(connectionState()));
		assertThat(accessibilityProblems()).isEmpty();

		// Keyboard only: tab to the create form, type a name, tab past the password, press Enter on the button.
		WebElement name = driver().findElement(By.cssSelector("[data-create] input[name=name]"));
		for (int i = 0; i < 40 && !name.equals(driver().switchTo().activeElement()); i++) {
			driver().switchTo().activeElement().sendKeys(Keys.TAB);
		}
		assertThat(driver().switchTo().activeElement()).isEqualTo(name);
		name.sendKeys("Keyboard club");
		driver().switchTo().activeElement().sendKeys(Keys.TAB);
		driver().switchTo().activeElement().sendKeys(Keys.TAB);
		assertThat(driver().switchTo().activeElement().getText()).isEqualTo("Create room");
		driver().switchTo().activeElement().sendKeys(Keys.ENTER);
		waitFor(() -> text("[data-room-name]").equals("Keyboard club"));

		open("/#/room/" + room.code());
		waitFor(() -> driver().findElements(By.cssSelector("[data-participant=\"p-a11y\"]")).size() == 1);
		assertThat(accessibilityProblems()).isEmpty();
	}

	/** Visible controls that cannot be focused or have no accessible name, and visible text under 4.5:1 contrast. */
	@SuppressWarnings("unchecked")
	private List<String> accessibilityProblems() {
		return (List<String>) driver().executeScript("""
				const problems = [];
				const visible = (e) => {
					const r = e.getBoundingClientRect();
					const s = getComputedStyle(e);
					return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
				};
				const describe = (e) => e.outerHTML.slice(0, 90);
				for (const e of document.querySelectorAll('button, input, select, textarea, a[href], summary')) {
					if (!visible(e)) continue;
					if (e.tabIndex < 0) problems.push('not focusable: ' + describe(e));
					const label = (e.labels && e.labels.length ? e.labels[0].textContent : '')
						|| e.getAttribute('aria-label') || e.textContent;
					if (!label || !label.trim()) problems.push('no accessible name: ' + describe(e));
				}
				const channels = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
				const luminance = ([r, g, b]) => {
					const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
					return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
				};
				const background = (e) => {
					for (let n = e; n; n = n.parentElement) {
						const c = channels(getComputedStyle(n).backgroundColor);
						if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c;
					}
					return [255, 255, 255];
				};
				for (const e of document.querySelectorAll('body *')) {
					if (!visible(e) || e.disabled) continue;
					if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
					const a = luminance(channels(getComputedStyle(e).color));
					const b = luminance(background(e));
					const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
					if (ratio < 4.5) problems.push('contrast ' + ratio.toFixed(2) + ': ' + describe(e));
				}
				return problems;
				""");
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

	/** The text of the first match, "" when none; read again if the page re-rendered it between find and read. */
	private String text(String css) {
		for (int attempt = 1;; attempt++) {
			try {
				List<WebElement> found = driver().findElements(By.cssSelector(css));
				return found.isEmpty() ? "" : found.get(0).getText();
			}
			catch (StaleElementReferenceException ex) {
				if (attempt == 3) {
					throw ex;
				}
			}
		}
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

	/** Waits for the page; on a timeout keeps a screenshot and the console in the failure, for CI logs. */
	private static void waitFor(Callable<Boolean> condition) {
		try {
			await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
		}
		catch (ConditionTimeoutException ex) {
			String shot = "failure-" + System.currentTimeMillis();
			try {
				screenshot(shot);
			}
			catch (IOException | RuntimeException ignored) {
				shot = "(no screenshot)";
			}
			List<String> console = chromium.consoleSinceLastCall().stream().map(LogEntry::toString).toList();
			throw new AssertionError("Page did not get there (screenshot " + shot + ".png); url "
					+ chromium.driver().getCurrentUrl() + "; console " + console, ex);
		}
	}

	private static void screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		Path shot = chromium.driver().getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

}
