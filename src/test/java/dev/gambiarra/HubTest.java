package dev.gambiarra;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * A running hub on a random loopback port with the demo room on (fast heartbeat, no streaming delay). Test classes
 * that share this annotation share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "gambiarra.demo.enabled=true", "gambiarra.demo.heartbeat=100ms",
				"gambiarra.demo.delay=0ms", "gambiarra.cli.heartbeat-interval=100ms",
				"gambiarra.cli.monitor-refresh=200ms" })
public @interface HubTest {

}
