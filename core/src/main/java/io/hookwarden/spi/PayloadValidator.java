package io.hookwarden.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookwarden.ValidationResult;

/**
 * Checks one verified event's JSON against what the endpoint allows for its event type and version. {@link
 * io.hookwarden.SchemaRegistry} is the built-in implementation (JSON Schema draft 2020-12 and draft-07); implement
 * this to validate another way, and hand it to {@code WebhookReceiver.builder().schemas(validator)}.
 *
 * <p>A receiver calls it after the signature was verified and before the delivery is claimed, once per event (each
 * element of a batch on its own), so an invalid event is never claimed. Implementations must be thread-safe, must not
 * keep the document, and must report JSON pointers and keywords, never payload values: the violations are sent back
 * to the sender in the {@code 422} answer.
 */
@FunctionalInterface
public interface PayloadValidator {
    /**
     * Validates one event.
     *
     * @param event the event's JSON, parsed within Hookwarden's limits
     * @param eventType the event type the endpoint resolved, or null when it found none
     * @param version the event's version, or null when the endpoint resolves none
     * @return every violation, with pointers relative to {@code event}; {@link ValidationResult#valid()} when none
     */
    ValidationResult validate(JsonNode event, String eventType, String version);
}
