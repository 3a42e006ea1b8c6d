package dev.gambiarra.console;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The application's only {@link ApplicationRunner}. Its presence makes Spring Shell's own runner back off, so the
 * hub starts headless and program arguments are never mistaken for shell commands.
 */
@Component
class HubRunner implements ApplicationRunner {

	@Override
	public void run(ApplicationArguments args) {
		// Server mode: the web server is already running; nothing to do on the main thread.
	}

}
