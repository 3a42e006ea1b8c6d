package dev.gambiarra.shutdown;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Shutdown.
 *
 * @param gracePeriod how long in-flight requests (streams included) may run on once shutdown begins; the web server
 * then closes what is left. Mapped onto {@code spring.lifecycle.timeout-per-shutdown-phase} in application.yml.
 * @param exitZeroOnSigterm SIGTERM (docker stop, systemctl stop, kill) runs the graceful shutdown and the process
 * exits with status 0 instead of the JVM's 143
 */
@ConfigurationProperties("gambiarra.shutdown")
record ShutdownProperties(@DefaultValue("10s") Duration gracePeriod, @DefaultValue("true") boolean exitZeroOnSigterm) {

}
