package dev.gambiarra.agent.provider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which base URLs a client may name. */
class ProviderFactoryTests {

	@Test
	void acceptsHttpUrlsAndDropsTrailingSlashes() {
		assertThat(ProviderFactory.baseUrl(" http://127.0.0.1:11434/v1/ ")).isEqualTo("http://127.0.0.1:11434/v1");
		assertThat(ProviderFactory.baseUrl("https://api.example.com/v1")).isEqualTo("https://api.example.com/v1");
	}

	@Test
	void refusesOtherSchemesCredentialsAndMetadataAddresses() {
		for (String url : new String[] { "file:///etc/passwd", "ftp://host/v1", "http://user:pw@host/v1",
				"http://host/v1?key=1", "http://169.254.169.254/latest", "http://[fd00:ec2::254]/v1",
				"http://metadata.google.internal/v1", "not a url" }) {
			assertThatThrownBy(() -> ProviderFactory.baseUrl(url)).as(url)
				.isInstanceOfSatisfying(ProviderException.class,
						(ex) -> assertThat(ex.code()).isEqualTo("invalid_provider"));
		}
	}

}
