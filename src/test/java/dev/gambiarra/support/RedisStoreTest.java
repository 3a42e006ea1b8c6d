package dev.gambiarra.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.ContextConfiguration;

/**
 * Runs a hub test class on the Redis store: put it on a subclass of a {@link HubTest} class to run the same tests
 * against {@code gambiarra.store.type=redis} (a real {@code redis-server}, see {@link RedisServer}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ContextConfiguration(initializers = RedisStoreInitializer.class)
public @interface RedisStoreTest {

}
