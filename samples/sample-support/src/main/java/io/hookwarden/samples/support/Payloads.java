package io.hookwarden.samples.support;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The typed payloads the samples' handlers bind verified bodies to ({@code webhook.as(Type.class)}). */
public final class Payloads {
    private Payloads() {}

    /** A Standard Webhooks event: {@code {"type": "...", "data": {...}}}. */
    public record StandardEvent(String type, Map<String, Object> data) {}

    /** A Stripe event: {@code {"id": "evt_...", "type": "invoice.paid", "data": {"object": {...}}}}. */
    public record StripeEvent(String id, String type, StripeData data) {}

    /** Stripe's {@code data} member. */
    public record StripeData(Map<String, Object> object) {}

    /** A GitHub {@code push}: the ref, the new head, the repository. */
    public record GithubPush(String ref, String after, Repository repository) {}

    /** GitHub's {@code repository} member. */
    public record Repository(@JsonProperty("full_name") String fullName) {}
}
