package io.hookwarden.test;

import io.hookwarden.WebhookRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Renders a fixture's {@link WebhookRequest} for Spring's {@code MockMvc}, so a controller and the filters in front of
 * it (such as {@code HookwardenFilter}, or Spring's own interceptors) see the delivery's headers and exact body bytes.
 * Needs {@code spring-test} and {@code spring-web} ({@code spring-webmvc} for MockMvc itself) on the test class path.
 *
 * <pre>{@code
 * mockMvc.perform(post("/webhooks/stripe").with(MockMvcDeliveries.delivery(fixtures.delivery(body).signed())))
 *         .andExpect(status().isNoContent());
 * mockMvc.perform(MockMvcDeliveries.request(fixtures.delivery(body).tampered(), "/webhooks/stripe"))
 *         .andExpect(status().isUnauthorized());
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class MockMvcDeliveries {
    private MockMvcDeliveries() {}

    /**
     * A post-processor that gives the request under construction the delivery's headers (every value, in order) and
     * body; the method and URL stay as your request builder set them.
     *
     * @param delivery the delivery, typically from {@link WebhookFixtures}
     * @return the post-processor, for {@code MockHttpServletRequestBuilder.with(..)}
     * @throws NullPointerException if delivery is null
     */
    public static RequestPostProcessor delivery(WebhookRequest delivery) {
        Objects.requireNonNull(delivery, "delivery cannot be null");
        byte[] body = delivery.body();
        Map<String, List<String>> headers = delivery.headers().toMap();
        return request -> {
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                for (String value : header.getValue()) {
                    request.addHeader(header.getKey(), value);
                }
            }
            request.setContent(body.clone());
            return request;
        };
    }

    /**
     * A request of the delivery, with its method, to {@code url}.
     *
     * @param delivery the delivery, typically from {@link WebhookFixtures}
     * @param url an absolute URL or a path starting with {@code /}; taken as it is, not as a URI template
     * @return the request builder, to add to or perform
     * @throws NullPointerException if delivery or url is null
     * @throws IllegalArgumentException if url is not a URL or a path starting with {@code /}
     */
    public static MockHttpServletRequestBuilder request(WebhookRequest delivery, String url) {
        Objects.requireNonNull(delivery, "delivery cannot be null");
        Objects.requireNonNull(url, "url cannot be null");
        URI uri = ServletDeliveries.target(url);
        MockHttpServletRequestBuilder builder =
                MockMvcRequestBuilders.request(HttpMethod.valueOf(delivery.method()), uri);
        // with(..) called on the abstract builder, where Spring Framework 7 declares it: a call compiled against 6.2's
        // override on MockHttpServletRequestBuilder is a NoSuchMethodError on Spring Boot 4 (Boot4WebMvcSliceTest)
        AbstractMockHttpServletRequestBuilder<?> abstractBuilder = builder;
        abstractBuilder.with(delivery(delivery));
        return builder;
    }

    /**
     * A request of the delivery, with its method, to its own URL (set by {@link WebhookFixtures.Builder#url}).
     *
     * @param delivery the delivery, typically from {@link WebhookFixtures}
     * @return the request builder, to add to or perform
     * @throws NullPointerException if delivery is null
     * @throws IllegalArgumentException if the delivery has no URL
     */
    public static MockHttpServletRequestBuilder request(WebhookRequest delivery) {
        Objects.requireNonNull(delivery, "delivery cannot be null");
        String url = delivery.url()
                .orElseThrow(() -> new IllegalArgumentException("the delivery has no URL: pass the target URL"));
        return request(delivery, url);
    }
}
