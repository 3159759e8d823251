package io.hookwarden.spring;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import io.hookwarden.WebhookRequest;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** A fixture's delivery as a MockMvc request: its method, headers (repeated as given) and exact body bytes. */
final class MockMvcDeliveries {
    private MockMvcDeliveries() {}

    static MockHttpServletRequestBuilder to(String path, WebhookRequest delivery) {
        MockHttpServletRequestBuilder builder =
                request(HttpMethod.valueOf(delivery.method()), path).content(delivery.body());
        delivery.headers().toMap().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
        if (!delivery.headers().contains("Content-Type")) {
            builder.contentType("application/json");
        }
        return builder;
    }
}
