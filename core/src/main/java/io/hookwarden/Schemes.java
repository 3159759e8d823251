package io.hookwarden;

import java.util.List;
import java.util.Objects;

/**
 * The built-in schemes, by factory method or by stable id.
 *
 * <table>
 *   <caption>Built-in schemes</caption>
 *   <tr><th>id</th><th>signature header</th><th>secret</th><th>window</th></tr>
 *   <tr><td>{@code standard-webhooks}</td><td>{@code webhook-signature} ({@code v1} HMAC, {@code v1a} Ed25519)</td>
 *       <td>{@code whsec_} (base64), {@code whpk_} / {@code whsk_}</td><td>two-sided</td></tr>
 *   <tr><td>{@code svix}</td><td>{@code svix-signature}, else {@code webhook-signature}</td><td>as above</td>
 *       <td>two-sided</td></tr>
 *   <tr><td>{@code stripe}</td><td>{@code Stripe-Signature} ({@code t=..,v1=..})</td><td>{@code whsec_...} as UTF-8</td>
 *       <td>past only</td></tr>
 *   <tr><td>{@code github}</td><td>{@code X-Hub-Signature-256} ({@code sha256=} hex)</td><td>UTF-8</td>
 *       <td>none (unsigned time)</td></tr>
 *   <tr><td>{@code slack}</td><td>{@code X-Slack-Signature} ({@code v0=} hex over {@code v0:ts:body})</td>
 *       <td>UTF-8</td><td>two-sided</td></tr>
 *   <tr><td>{@code hmac}</td><td>configured ({@link #hmac()})</td><td>configured</td><td>configured</td></tr>
 * </table>
 */
public final class Schemes {
    private static final Scheme STANDARD_WEBHOOKS =
            new StandardWebhooksScheme("standard-webhooks", List.of("webhook-"));
    private static final Scheme SVIX = new StandardWebhooksScheme("svix", List.of("svix-", "webhook-"));
    private static final Scheme STRIPE = new StripeScheme();
    private static final HmacScheme GITHUB = github(false);
    private static final HmacScheme GITHUB_SHA1 = github(true);
    private static final HmacScheme SLACK = HmacScheme.builder()
            .id("slack")
            .signatureHeader("X-Slack-Signature")
            .prefix("v0=")
            .signedContent("v0:{timestamp}:{body}")
            .timestampHeader("X-Slack-Request-Timestamp")
            .idPointer("/event_id")
            .eventTypePointers("/event/type", "/type")
            .build();
    private static final HmacScheme HMAC = HmacScheme.builder().build();

    private static final List<String> IDS = List.of("standard-webhooks", "svix", "stripe", "github", "slack", "hmac");

    private Schemes() {}

    /** Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}. */
    public static Scheme standardWebhooks() {
        return STANDARD_WEBHOOKS;
    }

    /** Svix: the Standard Webhooks algorithm with {@code svix-*} headers, falling back to {@code webhook-*}. */
    public static Scheme svix() {
        return SVIX;
    }

    /** Stripe: {@code Stripe-Signature}. */
    public static Scheme stripe() {
        return STRIPE;
    }

    /** GitHub: {@code X-Hub-Signature-256} only; the SHA-1 header is refused. */
    public static HmacScheme github() {
        return GITHUB;
    }

    /**
     * GitHub, also accepting the legacy SHA-1 {@code X-Hub-Signature} when {@code X-Hub-Signature-256} is absent. Only
     * for old GitHub Enterprise servers that send no SHA-256 header.
     */
    public static HmacScheme githubAcceptingSha1() {
        return GITHUB_SHA1;
    }

    /** Slack: {@code X-Slack-Signature} over {@code v0:timestamp:body}, {@code X-Slack-Request-Timestamp}. */
    public static HmacScheme slack() {
        return SLACK;
    }

    /**
     * A builder for a provider that signs with an HMAC in a header. Its defaults (HMAC-SHA256, hex, header {@code
     * X-Signature}, the body signed, the secret's UTF-8 bytes) are the scheme {@code hmac}.
     */
    public static HmacScheme.Builder hmac() {
        return HmacScheme.builder();
    }

    /**
     * A built-in scheme by its stable id.
     *
     * @param id one of {@link #ids()}
     * @return the scheme
     * @throws NullPointerException if id is null
     * @throws IllegalArgumentException if no scheme has that id; the message lists the known ids
     */
    public static Scheme byId(String id) {
        Objects.requireNonNull(id, "scheme id cannot be null");
        return switch (id) {
            case "standard-webhooks" -> STANDARD_WEBHOOKS;
            case "svix" -> SVIX;
            case "stripe" -> STRIPE;
            case "github" -> GITHUB;
            case "slack" -> SLACK;
            case "hmac" -> HMAC;
            default -> throw new IllegalArgumentException("unknown scheme " + id + "; known schemes: " + IDS);
        };
    }

    /** The ids of the built-in schemes, in a stable order. */
    public static List<String> ids() {
        return IDS;
    }

    private static HmacScheme github(boolean acceptSha1) {
        HmacScheme.Builder builder = HmacScheme.builder()
                .id("github")
                .signatureHeader("X-Hub-Signature-256")
                .prefix("sha256=")
                .idHeader("X-GitHub-Delivery")
                .eventTypeHeader("X-GitHub-Event");
        if (acceptSha1) {
            builder.fallback(HmacScheme.builder()
                    .id("github")
                    .signatureHeader("X-Hub-Signature")
                    .prefix("sha1=")
                    .algorithm(HmacAlgorithm.SHA1)
                    .idHeader("X-GitHub-Delivery")
                    .eventTypeHeader("X-GitHub-Event")
                    .build());
        }
        return builder.build();
    }
}
