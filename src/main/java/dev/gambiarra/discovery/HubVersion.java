package dev.gambiarra.discovery;

import dev.gambiarra.GambiarraApplication;

/** The hub's version as the packaged jar's manifest states it; {@code dev} when running from classes. */
final class HubVersion {

	private HubVersion() {
	}

	static String current() {
		String version = GambiarraApplication.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "dev";
	}

}
