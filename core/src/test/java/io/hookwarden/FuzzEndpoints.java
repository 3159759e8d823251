package io.hookwarden;

import io.hookwarden.SchemeCase.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The endpoints the fuzz targets (issue 17) send their inputs to: one per built-in scheme of {@link Schemes#ids()},
 * and Standard Webhooks once more with Ed25519 keys, each with a fixed, valid key pair so that a delivery signed
 * here (and kept in a corpus) verifies on every run, and the fuzzer can reach past the signature. Every verifier and
 * signer reads {@link SchemeCase#CLOCK}.
 */
final class FuzzEndpoints {
    /** The URL every delivery is addressed to (Twilio and Square sign it). */
    static final String URL = "https://hooks.example.com/in?tenant=7";

    /** A P-256 pair made for these tests only: base64 PKCS#8 to sign, base64 SPKI to verify. */
    private static final Secret SENDGRID = new Secret(
            "MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCDaxtaoUBeEsq3R7fcaPZIYOedYLxDK2M8egaYr4NYgbw==",
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQoJZ9IZXg8COqWdIQKjeDdYyM4ivr6gNYQzkjr0adbPkgTH0jB4WEKI+p1H/9tkWtJLxyyBjvcHmTG5757iv+A==");

    private static final Secret UTF8 = Secret.hmac("fuzz-signing-secret-0123456789");
    /** Adyen's HMAC keys are hex; Braintree's key material is its public and private key. */
    private static final Secret HEX = Secret.hmac("44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056");

    private static final Secret BRAINTREE = Secret.hmac("bt1:fuzz-signing-secret-0123456789");
    /** An Adyen classic notification before signing: the signer writes its hmacSignature and pspReference (the id). */
    static final String ADYEN_BODY = "{\"live\":\"false\",\"notificationItems\":[{\"NotificationRequestItem\":"
            + "{\"amount\":{\"currency\":\"EUR\",\"value\":1200},\"eventCode\":\"AUTHORISATION\","
            + "\"merchantAccountCode\":\"Shop\",\"merchantReference\":\"order-1\","
            + "\"reason\":\"ok\",\"success\":\"true\"}}]}";

    /** By label, in a stable order: the scheme ids, then {@code standard-webhooks-ed25519}. */
    static final Map<String, Endpoint> ALL = endpoints();

    static final List<Endpoint> LIST = List.copyOf(ALL.values());

    private FuzzEndpoints() {}

    /**
     * One endpoint.
     *
     * @param label the scheme id, or {@code standard-webhooks-ed25519}
     * @param scheme the scheme
     * @param secret its fixed key pair
     * @param body a body of the shape the provider sends
     * @param signsBodyBytes whether the signature covers every byte of the body (not Twilio's form parameters,
     *     Mailgun's signature object, GitLab's token or a static token)
     */
    record Endpoint(String label, Scheme scheme, Secret secret, byte[] body, boolean signsBodyBytes) {
        WebhookSigner signer() {
            return WebhookSigner.builder()
                    .scheme(scheme)
                    .secret(secret.signing())
                    .clock(SchemeCase.CLOCK)
                    .build();
        }

        WebhookVerifier verifier() {
            return WebhookVerifier.builder()
                    .scheme(scheme)
                    .keys(Keys.builder().add("fuzz", secret.verifying()).build())
                    .clock(SchemeCase.CLOCK)
                    .build();
        }

        /** {@link #body} signed, with an id, an event type and {@link #URL}. */
        WebhookRequest signed() {
            return signer().sign(WebhookMessage.body(body)
                    .id("msg_2Yq5s7")
                    .eventType("invoice.paid")
                    .url(URL)
                    .build());
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The endpoint for a label; an unknown label picks one by its hash, so that any text names some endpoint. */
    static Endpoint byLabel(String label) {
        Endpoint endpoint = ALL.get(label);
        return endpoint != null ? endpoint : LIST.get(Math.floorMod(label.hashCode(), LIST.size()));
    }

    private static Map<String, Endpoint> endpoints() {
        byte[] json =
                bytes("{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"data\":{\"amount\":1200,\"currency\":\"eur\"}}");
        byte[] form = bytes("MessageSid=SM123&From=%2B15550001111&To=%2B15550002222&Body=Hello+there");
        Map<String, Endpoint> map = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(Schemes.ids());
        ids.remove("sns"); // keyless: its certificate is fetched per message; SnsSchemeTest fuzzes its parser offline
        for (String id : ids) {
            Scheme scheme = Schemes.byId(id);
            Secret secret =
                    switch (id) {
                        case "standard-webhooks", "openai", "replicate" -> SchemeCase.STANDARD_WEBHOOKS.sample();
                        case "clerk", "resend" -> SchemeCase.SVIX.sample();
                        case "svix" -> SchemeCase.SVIX.sample();
                        case "stripe" -> SchemeCase.STRIPE.sample();
                        case "discord" -> ProviderRoundTripPropertiesTest.discord(20260301L);
                        case "sendgrid" -> SENDGRID;
                        case "adyen", "adyen-platform" -> HEX;
                        case "braintree" -> BRAINTREE;
                        default -> UTF8;
                    };
            boolean signsBodyBytes = !id.equals("twilio")
                    && !id.equals("mailgun")
                    && !id.equals("gitlab")
                    && !id.equals("token")
                    && !id.equals("telegram")
                    && !id.equals("okta")
                    && !id.equals("event-grid")
                    && !id.equals("microsoft-graph")
                    && !id.equals("adyen") // signs eight fields of each item
                    && !id.equals("braintree"); // signs the decoded bt_payload of a form
            byte[] body = id.equals("twilio") ? form : id.equals("adyen") ? bytes(ADYEN_BODY) : json;
            map.put(id, new Endpoint(id, scheme, secret, body, signsBodyBytes));
        }
        map.put(
                "standard-webhooks-ed25519",
                new Endpoint(
                        "standard-webhooks-ed25519",
                        Schemes.standardWebhooks(),
                        SchemeCase.STANDARD_WEBHOOKS_ED25519.sample(),
                        json,
                        true));
        return java.util.Collections.unmodifiableMap(map);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
