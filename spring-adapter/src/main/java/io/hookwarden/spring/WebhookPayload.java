package io.hookwarden.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a handler parameter of a {@link WebhookEndpoint} to the verified body: a {@code String}, a {@code byte[]}, or
 * any type Jackson binds from JSON. A body that is not valid JSON for the type is refused with {@code
 * MALFORMED_PAYLOAD} (400) and the claim is released; the answer names the location, never a payload value.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WebhookPayload {}
