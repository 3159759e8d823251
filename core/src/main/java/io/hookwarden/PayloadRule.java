package io.hookwarden;

import io.hookwarden.spi.PayloadValidator;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An endpoint's payload rule, checked after the signature and before the claim: the body's {@link PayloadFormat},
 * then every event against the validator, or with report-only, violations handed to a listener and the delivery let
 * through. A malformed or schema-invalid delivery is never claimed. Immutable and thread-safe.
 */
final class PayloadRule {
    private static final System.Logger LOG = System.getLogger(WebhookReceiver.class.getName());

    /** Why a delivery is refused, and its answer when it is not the endpoint's usual one for the reason. */
    record Refusal(Reason reason, String detail, HttpAnswer answer) {}

    private final String endpoint;
    private final PayloadFormat format;
    private final PayloadValidator validator;
    private final WebhookReceiver.ViolationListener reportOnly;

    PayloadRule(
            String endpoint,
            PayloadFormat format,
            PayloadValidator validator,
            WebhookReceiver.ViolationListener reportOnly) {
        this.endpoint = endpoint;
        this.format = format;
        this.validator = validator;
        this.reportOnly = reportOnly;
    }

    /** Null when the delivery may be claimed; else why not. */
    Refusal check(VerifiedWebhook webhook) {
        if (format == PayloadFormat.ANY && validator == null) {
            return null;
        }
        try {
            if (format == PayloadFormat.FORM) {
                webhook.form();
                return null;
            }
            if (format == PayloadFormat.JSON || format == PayloadFormat.JSON_BATCH) {
                webhook.json();
            }
            if (validator == null) {
                if (format == PayloadFormat.JSON_BATCH) {
                    webhook.events();
                }
                return null;
            }
            ValidationResult result = ValidationResult.valid();
            for (WebhookEvent event : webhook.events()) {
                ValidationResult one = validator.validate(
                        event.json(), event.type().orElse(null), event.version().orElse(null));
                result = result.and(one.under(event.pointer()));
            }
            if (result.isValid()) {
                return null;
            }
            if (reportOnly != null) {
                try {
                    reportOnly.onViolations(webhook, result);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "violation listener of endpoint " + endpoint + " failed: " + e);
                }
                return null;
            }
            return new Refusal(
                    Reason.SCHEMA_VIOLATION,
                    "endpoint " + endpoint + ": " + result.describe(),
                    HttpAnswer.problem(Reason.SCHEMA_VIOLATION, null, violationsMember(result)));
        } catch (InvalidPayloadException e) {
            return new Refusal(e.reason(), "endpoint " + endpoint + ": " + e.getMessage(), null);
        }
    }

    /** The {@code violations} member of a 422 answer: pointers and keywords, never values. */
    private static Map<String, Object> violationsMember(ValidationResult result) {
        List<Map<String, String>> list = new ArrayList<>();
        for (Violation v : result.violations()) {
            if (list.size() == WebhookReceiver.MAX_REPORTED_VIOLATIONS) {
                break;
            }
            Map<String, String> one = new LinkedHashMap<>();
            one.put("pointer", v.pointer());
            one.put("keyword", v.keyword());
            list.add(one);
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("violations", list);
        if (result.violations().size() > WebhookReceiver.MAX_REPORTED_VIOLATIONS) {
            extras.put("violationCount", result.violations().size());
        }
        return extras;
    }
}
