package dev.gambiarra.dashboard;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium from the system packages ({@code chromium}, {@code chromium-driver}), driven through the given
 * chromedriver so Selenium Manager never downloads anything. Paths can be moved with {@code -Dbrowser.chromium=} and
 * {@code -Dbrowser.chromedriver=}.
 */
final class Chromium implements AutoCloseable {

	private final Path profile;

	private final ChromeDriver driver;

	private Chromium(Path profile, ChromeDriver driver) {
		this.profile = profile;
		this.driver = driver;
	}

	static Chromium start() throws IOException {
		String binary = System.getProperty("browser.chromium", "/usr/bin/chromium");
		String chromedriver = System.getProperty("browser.chromedriver", "/usr/bin/chromedriver");
		Path profile = Files.createTempDirectory("gambiarra-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(binary);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--no-default-browser-check", "--window-size=1280,1100", "--user-data-dir=" + profile);
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.BROWSER, Level.ALL);
		options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(chromedriver))
			.usingAnyFreePort()
			.build();
		return new Chromium(profile, new ChromeDriver(service, options));
	}

	ChromeDriver driver() {
		return this.driver;
	}

	/** Console messages (and failed resource loads) since the last call, as Chromium reports them. */
	List<LogEntry> consoleSinceLastCall() {
		return this.driver.manage().logs().get(LogType.BROWSER).getAll();
	}

	@Override
	public void close() throws IOException {
		try {
			this.driver.quit();
		}
		finally {
			try (Stream<Path> files = Files.walk(this.profile)) {
				files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

}
