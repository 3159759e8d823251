package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 17): nothing forged is accepted. Each input picks one of the {@link FuzzEndpoints}, takes its
 * validly signed delivery and changes it: flips, inserts or deletes body bytes, changes, adds, repeats or removes
 * headers. When the changed delivery still verifies, everything the provider signs must be as signed: the body bytes
 * (where the signature covers them; Twilio's sorted form parameters, Mailgun's timestamp and token otherwise), the
 * delivery id where it is signed, the timestamp, what the scheme reports as its signed content, and so the default
 * dedupe key: a re-spelt replay is still the same delivery.
 */
class TamperedDeliveryFuzzTest {
    private static final List<Original> ORIGINALS = new ArrayList<>();

    static {
        FuzzMode.quietLogsWhileFuzzing();
        for (FuzzEndpoints.Endpoint endpoint : FuzzEndpoints.LIST) {
            WebhookVerifier verifier = endpoint.verifier();
            WebhookRequest signed = endpoint.signed();
            ORIGINALS.add(new Original(endpoint, verifier, signed, verifier.verify(signed)));
        }
    }

    /** A signed delivery and what verifying it gave. */
    private record Original(
            FuzzEndpoints.Endpoint endpoint,
            WebhookVerifier verifier,
            WebhookRequest request,
            VerifiedWebhook verified) {}

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void changedDeliveryVerifiesOnlyWithItsSignedPartsUnchanged(FuzzedDataProvider data) {
        // given
        Original original = ORIGINALS.get(data.consumeInt(0, ORIGINALS.size() - 1));
        WebhookRequest changed = change(original.request(), data);

        // when
        VerifiedWebhook verified;
        try {
            verified = original.verifier().verify(changed);
        } catch (WebhookVerificationException refused) {
            return;
        }

        // then
        FuzzEndpoints.Endpoint endpoint = original.endpoint();
        VerifiedWebhook expected = original.verified();
        if (endpoint.signsBodyBytes()) {
            assertThat(verified.body()).as("signed body").isEqualTo(expected.body());
        } else if (endpoint.label().equals("twilio")) {
            assertThat(TwilioScheme.sortedParams(verified.body()))
                    .as("signed form parameters")
                    .isEqualTo(TwilioScheme.sortedParams(expected.body()));
        } else if (endpoint.label().equals("mailgun")) {
            assertThat(signatureObject(verified))
                    .as("signed timestamp and token")
                    .isEqualTo(signatureObject(expected));
        }
        if (endpoint.scheme().signsId()) {
            assertThat(verified.id()).as("signed id").isEqualTo(expected.id());
        }
        assertThat(verified.timestamp()).as("signed timestamp").isEqualTo(expected.timestamp());
        if (!endpoint.label().equals("gitlab")
                && !endpoint.label().equals("token")) { // a shared token signs nothing: it only says who sent it
            assertThat(verified.signedContentDigest())
                    .as("what the scheme says its signature covers")
                    .isEqualTo(expected.signedContentDigest());
            assertThat(DedupeKey.schemeDefault().of(verified))
                    .as("default dedupe key")
                    .isEqualTo(DedupeKey.schemeDefault().of(expected));
        }
    }

    /** The request with one to four changes the fuzzer chose. */
    private static WebhookRequest change(WebhookRequest request, FuzzedDataProvider data) {
        byte[] body = request.body();
        Headers.Builder headers = request.headers().toBuilder();
        int changes = data.consumeInt(1, 4);
        for (int i = 0; i < changes; i++) {
            List<Map.Entry<String, String>> entries = entries(headers.build());
            switch (data.consumeInt(0, 6)) {
                case 0 -> { // flip bits of one body byte
                    if (body.length > 0) {
                        body[data.consumeInt(0, body.length - 1)] ^= data.consumeByte();
                    }
                }
                case 1 -> { // insert bytes into the body
                    int at = data.consumeInt(0, body.length);
                    byte[] inserted = data.consumeBytes(16);
                    byte[] longer = new byte[body.length + inserted.length];
                    System.arraycopy(body, 0, longer, 0, at);
                    System.arraycopy(inserted, 0, longer, at, inserted.length);
                    System.arraycopy(body, at, longer, at + inserted.length, body.length - at);
                    body = longer;
                }
                case 2 -> { // delete bytes of the body
                    if (body.length > 0) {
                        int from = data.consumeInt(0, body.length - 1);
                        int to = data.consumeInt(from, body.length);
                        byte[] shorter = Arrays.copyOf(body, body.length - (to - from));
                        System.arraycopy(body, to, shorter, from, body.length - to);
                        body = shorter;
                    }
                }
                case 3 -> { // change one character of a header value
                    if (!entries.isEmpty()) {
                        Map.Entry<String, String> entry = entries.get(data.consumeInt(0, entries.size() - 1));
                        String value = entry.getValue();
                        int at = data.consumeInt(0, value.length());
                        String replacement = data.consumeString(4);
                        int end = Math.min(value.length(), at + data.consumeInt(0, 4));
                        replace(headers, entries, entry, value.substring(0, at) + replacement + value.substring(end));
                    }
                }
                case 4 -> { // add a header, often one the scheme reads
                    String name = entries.isEmpty() || data.consumeBoolean()
                            ? data.consumeString(24)
                            : entries.get(data.consumeInt(0, entries.size() - 1))
                                    .getKey();
                    if (!name.isEmpty()) {
                        headers.add(name, data.consumeString(96));
                    }
                }
                case 5 -> { // remove a header
                    if (!entries.isEmpty()) {
                        headers.remove(entries.get(data.consumeInt(0, entries.size() - 1))
                                .getKey());
                    }
                }
                default -> { // give a header's value a second time
                    if (!entries.isEmpty()) {
                        Map.Entry<String, String> entry = entries.get(data.consumeInt(0, entries.size() - 1));
                        headers.add(entry.getKey(), entry.getValue());
                    }
                }
            }
        }
        return WebhookRequest.builder()
                .method(request.method())
                .url(request.url().orElse(null))
                .headers(headers.build())
                .body(body)
                .build();
    }

    private static List<Map.Entry<String, String>> entries(Headers headers) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        headers.toMap().forEach((name, values) -> values.forEach(v -> entries.add(Map.entry(name, v))));
        return entries;
    }

    /** Replaces one value of a header, keeping its other values in order. */
    private static void replace(
            Headers.Builder headers,
            List<Map.Entry<String, String>> entries,
            Map.Entry<String, String> entry,
            String value) {
        headers.remove(entry.getKey());
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equals(entry.getKey())) {
                headers.add(e.getKey(), e == entry ? value : e.getValue());
            }
        }
    }

    /** Mailgun's signed values: the timestamp and token of the body's signature object. */
    private static String signatureObject(VerifiedWebhook webhook) {
        JsonNode body = BoundedJson.parse(webhook.body());
        return body == null
                ? null
                : body.at("/signature/timestamp").asText() + " "
                        + body.at("/signature/token").asText();
    }
}
