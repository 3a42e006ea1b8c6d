package dev.gambiarra.participants;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.springframework.stereotype.Component;

import dev.gambiarra.web.HubException;

/** Which participant endpoints the hub agrees to call. */
@Component
class EndpointPolicy {

	/** The endpoint as stored: trimmed, without a trailing slash; refused unless it is an http(s) URL. */
	String check(String endpoint) {
		String trimmed = endpoint.strip();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		URI uri;
		try {
			uri = new URI(trimmed);
		}
		catch (URISyntaxException ex) {
			throw invalid();
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawQuery() != null
				|| uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
			throw invalid();
		}
		return trimmed;
	}

	private static HubException invalid() {
		return HubException.badRequest("Invalid endpoint: must be an http(s) URL such as http://192.168.1.10:11434");
	}

}
