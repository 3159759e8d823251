package io.hookwarden.samples.demo;

import io.hookwarden.Keys;
import io.hookwarden.Reason;
import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookVerificationException;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.test.MutableClock;
import io.hookwarden.test.WebhookFixtures;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's first command: signs deliveries the way Standard Webhooks, Stripe and GitHub do, verifies them as a
 * receiver would, and shows forged, expired, tampered and malformed ones refused with the reason and HTTP status a
 * provider would get. Exits 0 when every delivery got the expected verdict, 1 otherwise.
 */
public final class Demo {
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"data\":{\"amount\":4200}}";
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private record Endpoint(Scheme scheme, String current, String previous) {}

    private record Row(String scheme, String delivery, String result, int status, boolean asExpected) {}

    private Demo() {}

    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    /** Runs the demo, printing to {@code out}; returns the exit code. */
    static int run(PrintStream out) {
        MutableClock clock = MutableClock.atEpochSecond(1_767_225_600); // 2026-01-01T00:00:00Z
        List<Endpoint> endpoints = List.of(
                new Endpoint(
                        Schemes.standardWebhooks(),
                        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"),
                new Endpoint(Schemes.stripe(), "whsec_demo_current_3f9a1c", "whsec_demo_previous_77d2e0"),
                new Endpoint(Schemes.github(), "demo-github-secret-current", "demo-github-secret-previous"));

        List<Row> rows = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            Scheme scheme = endpoint.scheme();
            WebhookVerifier verifier = WebhookVerifier.builder()
                    .scheme(scheme)
                    .keys(Keys.builder()
                            .add("current", endpoint.current())
                            .add("previous", endpoint.previous())
                            .build())
                    .tolerance(TOLERANCE)
                    .clock(clock)
                    .build();
            WebhookFixtures current = fixtures(scheme, endpoint.current(), clock);
            WebhookFixtures previous = fixtures(scheme, endpoint.previous(), clock);

            rows.add(check(verifier, scheme, "valid", current.signed(BODY), null));
            rows.add(check(verifier, scheme, "old key (rotation)", previous.signed(BODY), null));
            rows.add(check(verifier, scheme, "forged", current.forged(BODY), Reason.SIGNATURE_MISMATCH));
            rows.add(check(verifier, scheme, "tampered", current.tampered(BODY), Reason.SIGNATURE_MISMATCH));
            if (scheme != Schemes.github()) { // GitHub signs no timestamp
                rows.add(check(
                        verifier,
                        scheme,
                        "expired (6 min old)",
                        current.aged(BODY, Duration.ofMinutes(6)),
                        Reason.TIMESTAMP_TOO_OLD));
            }
            String signatureHeader = current.signed(BODY).headers().names().stream()
                    .filter(name -> name.toLowerCase(java.util.Locale.ROOT).contains("signature"))
                    .findFirst()
                    .orElseThrow();
            rows.add(check(
                    verifier,
                    scheme,
                    "signature header junk",
                    current.withHeader(BODY, signatureHeader, "junk"),
                    Reason.MALFORMED_HEADER));
        }

        out.println("Hookwarden demo: deliveries signed as each provider signs them, verified as a receiver would.");
        out.println("Endpoint keys: 'current' and 'previous' (a rotation in progress); tolerance " + TOLERANCE + ".");
        out.println();
        String format = "%-18s %-22s %-36s %s%n";
        out.printf(format, "scheme", "delivery", "verdict", "HTTP");
        for (Row row : rows) {
            out.printf(
                    format,
                    row.scheme(),
                    row.delivery(),
                    row.result() + (row.asExpected() ? "" : "  <-- UNEXPECTED"),
                    row.status());
        }
        long accepted = rows.stream().filter(r -> r.status() == 200).count();
        long unexpected = rows.stream().filter(r -> !r.asExpected()).count();
        out.println();
        out.printf(
                "%d deliveries: %d accepted, %d refused; %s%n",
                rows.size(),
                accepted,
                rows.size() - accepted,
                unexpected == 0 ? "every verdict as expected." : unexpected + " verdict(s) NOT as expected.");
        return unexpected == 0 ? 0 : 1;
    }

    private static WebhookFixtures fixtures(Scheme scheme, String secret, MutableClock clock) {
        return WebhookFixtures.builder()
                .scheme(scheme)
                .secret(secret)
                .clock(clock)
                .build();
    }

    private static Row check(
            WebhookVerifier verifier, Scheme scheme, String delivery, WebhookRequest request, Reason expected) {
        try {
            VerifiedWebhook webhook = verifier.verify(request);
            return new Row(scheme.id(), delivery, "accepted (key " + webhook.matchedKey() + ")", 200, expected == null);
        } catch (WebhookVerificationException e) {
            return new Row(
                    scheme.id(), delivery, "refused " + e.reason(), e.reason().httpStatus(), e.reason() == expected);
        }
    }
}
