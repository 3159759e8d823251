package io.hookwarden.test;

import io.hookwarden.WebhookRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Renders a fixture's {@link WebhookRequest} as a servlet request, to test a {@code jakarta.servlet.Filter} (such as
 * {@code HookwardenFilter}) or a servlet without a container: {@code filter.doFilter(request, response, chain)}.
 *
 * <p>The request is Spring's {@link MockHttpServletRequest} (from {@code spring-test}, which needs {@code spring-web}
 * and the Servlet 6 API on the test class path): a complete, well-kept implementation of the servlet API that the
 * rest of your test can inspect and adjust (for example {@code setContextPath}). Add to your test dependencies:
 *
 * <pre>{@code
 * org.springframework:spring-test, org.springframework:spring-web, jakarta.servlet:jakarta.servlet-api
 * }</pre>
 *
 * <pre>{@code
 * MockHttpServletRequest request = ServletDeliveries.request(fixtures.delivery(body).signed(), "/webhooks/stripe");
 * MockHttpServletResponse response = new MockHttpServletResponse();
 * filter.doFilter(request, response, new MockFilterChain(servlet));
 * }</pre>
 *
 * Stateless and thread-safe; the requests it returns are not thread-safe.
 */
public final class ServletDeliveries {
    private ServletDeliveries() {}

    /**
     * A servlet request of the delivery to its own URL.
     *
     * @param delivery the delivery, typically from {@link WebhookFixtures}
     * @return a new request
     * @throws NullPointerException if delivery is null
     * @throws IllegalArgumentException if the delivery has no URL
     */
    public static MockHttpServletRequest request(WebhookRequest delivery) {
        Objects.requireNonNull(delivery, "delivery cannot be null");
        String url = delivery.url()
                .orElseThrow(() -> new IllegalArgumentException("the delivery has no URL: pass the target URL"));
        return request(delivery, url);
    }

    /**
     * A servlet request of the delivery to {@code url}: its method, every header with every value in order, the exact
     * body bytes and the remote address when it has one. The URL's scheme, host and port become the request's (a
     * path alone means {@code http://localhost:80}); its path is the request URI with an empty context path; its
     * query is the query string and the request's parameters (the servlet container would parse them the same way).
     *
     * @param delivery the delivery, typically from {@link WebhookFixtures}
     * @param url an absolute URL ({@code https://hooks.example.com/webhooks/stripe?tenant=7}) or a path ({@code
     *     /webhooks/stripe})
     * @return a new request
     * @throws NullPointerException if delivery or url is null
     * @throws IllegalArgumentException if url is not a URL or a path starting with {@code /}
     */
    public static MockHttpServletRequest request(WebhookRequest delivery, String url) {
        Objects.requireNonNull(delivery, "delivery cannot be null");
        Objects.requireNonNull(url, "url cannot be null");
        URI uri = target(url);
        MockHttpServletRequest request = new MockHttpServletRequest(delivery.method(), uri.getRawPath());
        // The path a container routes by, as for a servlet mapped exactly at it: HookwardenFilter matches on it.
        request.setServletPath(uri.getPath());
        if (uri.getScheme() != null) {
            request.setScheme(uri.getScheme());
            request.setSecure("https".equalsIgnoreCase(uri.getScheme()));
            request.setServerName(uri.getHost());
            request.setServerPort(uri.getPort() != -1 ? uri.getPort() : request.isSecure() ? 443 : 80);
        }
        if (uri.getRawQuery() != null) {
            request.setQueryString(uri.getRawQuery());
            addQueryParameters(request, uri.getRawQuery());
        }
        for (Map.Entry<String, List<String>> header : delivery.headers().toMap().entrySet()) {
            for (String value : header.getValue()) {
                request.addHeader(header.getKey(), value);
            }
        }
        request.setContent(delivery.body());
        delivery.remoteAddress().ifPresent(request::setRemoteAddr);
        return request;
    }

    static URI target(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + url, e);
        }
        if (uri.getScheme() == null
                && (uri.getRawPath() == null || !uri.getRawPath().startsWith("/"))) {
            throw new IllegalArgumentException("not an absolute URL or a path starting with /: " + url);
        }
        if (uri.getScheme() != null && uri.getHost() == null) {
            throw new IllegalArgumentException("the URL has no host: " + url);
        }
        return uri;
    }

    private static void addQueryParameters(MockHttpServletRequest request, String query) {
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            request.addParameter(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
    }
}
