package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Realistic events from the test resources, as text and as trees to edit, and signed deliveries of them. */
final class Payloads {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Payloads() {}

    /** The text of {@code events/NAME.json}. */
    static String text(String name) {
        try (InputStream in = Payloads.class.getClassLoader().getResourceAsStream("events/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no test event " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, editable tree of {@code events/NAME.json}. */
    static ObjectNode tree(String name) {
        try {
            return (ObjectNode) MAPPER.readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String json(JsonNode node) {
        return node.toString();
    }

    /** A Stripe delivery of {@code body}, signed with the sample key at {@link SchemeCase#NOW}. */
    static WebhookRequest stripe(String body) {
        return SchemeCase.STRIPE.sampleRequest(body.getBytes(StandardCharsets.UTF_8), SchemeCase.NOW);
    }

    /** A GitHub delivery of {@code body} with its event type and delivery id headers. */
    static WebhookRequest github(String eventType, String deliveryId, String body) {
        return SchemeCase.GITHUB
                .signer(SchemeCase.GITHUB.sample().signing())
                .sign(WebhookMessage.body(body)
                        .id(deliveryId)
                        .eventType(eventType)
                        .build());
    }

    /** A Standard Webhooks delivery with the given id, URL and extra header. */
    static WebhookRequest standard(String id, String url, String body) {
        WebhookMessage.Builder message = WebhookMessage.body(body).id(id).timestamp(SchemeCase.NOW);
        WebhookRequest signed = SchemeCase.STANDARD_WEBHOOKS
                .signer(SchemeCase.STANDARD_WEBHOOKS.sample().signing())
                .sign(message.build());
        return url == null ? signed : signed.toBuilder().url(url).build();
    }
}
