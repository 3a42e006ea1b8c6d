package dev.gambiarra;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import dev.gambiarra.console.Launcher;

@SpringBootApplication
public class GambiarraApplication {

	/** Starts the hub, or runs a one-shot CLI command when an argument is not a {@code --} option. */
	public static void main(String[] args) {
		Launcher.run(GambiarraApplication.class, args);
	}

}
