package dev.gambiarra.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-process admin console.
 *
 * @param enabled start the console when the hub runs with a terminal attached (containers set it false)
 */
@ConfigurationProperties("gambiarra.console")
record ConsoleProperties(@DefaultValue("true") boolean enabled) {

}
