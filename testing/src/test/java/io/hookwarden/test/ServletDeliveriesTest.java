package io.hookwarden.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.Schemes;
import io.hookwarden.WebhookRequest;
import java.io.IOException;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ServletDeliveriesTest {
    private final WebhookFixtures fixtures = WebhookFixtures.builder()
            .scheme(Schemes.github())
            .secret("It's a Secret to Everybody")
            .clock(MutableClock.atEpochSecond(1_700_000_000))
            .build();

    @Test
    void rendersTheUrlAsTheContainerWouldSeeIt() {
        MockHttpServletRequest request = ServletDeliveries.request(
                fixtures.delivery("{}").signed(), "https://hooks.example.com:8443/webhooks/github?tenant=7&name=a%20b");

        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getRequestURL()).hasToString("https://hooks.example.com:8443/webhooks/github");
        assertThat(request.getRequestURI()).isEqualTo("/webhooks/github");
        assertThat(request.getContextPath()).isEmpty();
        assertThat(request.getQueryString()).isEqualTo("tenant=7&name=a%20b");
        assertThat(request.getParameter("name")).isEqualTo("a b");
        assertThat(request.isSecure()).isTrue();
    }

    @Test
    void rendersEveryHeaderValueAndTheExactBody() throws IOException {
        WebhookRequest delivery =
                fixtures.delivery().body(new byte[] {'{', '}', (byte) 0xff}).eventType("push").signed().toBuilder()
                        .header("X-Twice", "1")
                        .header("X-Twice", "2")
                        .remoteAddress("192.0.2.7")
                        .build();

        MockHttpServletRequest request = ServletDeliveries.request(delivery, "/webhooks/github");

        assertThat(request.getInputStream().readAllBytes()).isEqualTo(new byte[] {'{', '}', (byte) 0xff});
        assertThat(request.getHeader("X-GitHub-Event")).isEqualTo("push");
        assertThat(request.getHeader("X-Hub-Signature-256"))
                .isEqualTo(delivery.headers().first("X-Hub-Signature-256").orElseThrow());
        assertThat(Collections.list(request.getHeaders("X-Twice"))).containsExactly("1", "2");
        assertThat(request.getContentType()).isEqualTo("application/json");
        assertThat(request.getRemoteAddr()).isEqualTo("192.0.2.7");
        assertThat(request.getRequestURL()).hasToString("http://localhost/webhooks/github");
    }

    @Test
    void refusesATargetThatIsNeitherAUrlNorAPath() {
        assertThatThrownBy(
                        () -> ServletDeliveries.request(fixtures.delivery("{}").signed(), "webhooks/github"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an absolute URL or a path starting with /: webhooks/github");
        assertThatThrownBy(
                        () -> ServletDeliveries.request(fixtures.delivery("{}").signed()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the delivery has no URL: pass the target URL");
    }
}
