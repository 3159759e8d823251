package io.hookwarden.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 17): the servlet filter's translation of a request (method, raw URI, the container's routed path,
 * header names and values in any case and number, the body) into the core's exchange. Whatever arrives, the filter
 * answers with a typed status (never a 5xx: the application's chain here never fails) or passes the request on; it
 * passes on unverified only a path that neither is nor resembles an endpoint's; and it passes on verified only a
 * delivery signed with the endpoint's key whose body and signed headers are intact.
 */
class FilterTranslationFuzzTest {
    private static final String PATH = "/hooks/standard";
    private static final String SECRET = "whsec_ZnV6eiB0aGUgZmlsdGVyIHRyYW5zbGF0aW9uIQ==";
    private static final WebhookSigner SIGNER = WebhookSigner.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .build();
    private static final List<String> METHODS = List.of("POST", "GET", "HEAD", "PUT", "OPTIONS", "TRACE", "post");
    private static final List<String> URIS = List.of(
            PATH,
            PATH + "/",
            "/hooks//standard",
            "/hooks/./standard",
            "/HOOKS/standard",
            "/hooks/standard;x=1",
            "/hooks/%73tandard",
            "/elsewhere",
            "/",
            "");

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void answersOrPassesOnOnlyWhatItMay(FuzzedDataProvider data) throws Exception {
        // given: a filter with one endpoint, and a request shaped by the input
        HookwardenFilter filter = HookwardenFilter.builder()
                .endpoint(
                        PATH,
                        WebhookReceiver.builder()
                                .name("standard")
                                .verifier(WebhookVerifier.builder()
                                        .scheme(Schemes.standardWebhooks())
                                        .secret(SECRET)
                                        .build())
                                .dedupeStore(InMemoryDedupeStore.create())
                                .build())
                .build();
        // A container parses the method from the request line: never empty, never blank.
        String method = data.consumeBoolean()
                ? data.pickValue(METHODS)
                : "X" + data.consumeString(10).strip();
        String uri = data.consumeBoolean() ? data.pickValue(URIS) : data.consumeString(80);
        String routed = data.consumeBoolean() ? PATH : uri; // the container may normalise a raw URI to the endpoint
        int mode = data.consumeInt(0, 2); // 0 unsigned, 1 signed, 2 signed then its body changed
        List<String[]> headers = new ArrayList<>();
        int count = data.consumeInt(0, 16);
        for (int i = 0; i < count; i++) {
            headers.add(new String[] {data.consumeString(24), data.consumeString(64)});
        }
        byte[] body = data.consumeRemainingAsBytes();
        if (mode > 0) {
            WebhookRequest signed = SIGNER.sign(WebhookMessage.body(body).build());
            signed.headers()
                    .toMap()
                    .forEach((name, values) -> values.forEach(v -> headers.add(new String[] {name, v})));
            if (mode == 2) {
                body = body.length == 0 ? new byte[] {'x'} : body.clone();
                body[body.length / 2] ^= 0x01;
            }
        }
        Map<String, List<String>> headerMap = new LinkedHashMap<>();
        for (String[] h : headers) {
            if (!h[0].isEmpty()) {
                headerMap.computeIfAbsent(h[0], k -> new ArrayList<>()).add(h[1]);
            }
        }
        Recorded response = new Recorded();
        AtomicReference<Object> passed = new AtomicReference<>();
        FilterChain chain = (req, res) -> passed.set(req);

        // when
        filter.doFilter(request(method, uri, routed, headerMap, body), response.proxy(), chain);

        // then
        Object on = passed.get();
        if (on == null) {
            assertThat(response.status).as("the filter's own answer").isBetween(200, 499);
            assertThat(response.body.toString(StandardCharsets.UTF_8)).doesNotContainIgnoringCase("exception");
        } else if (on instanceof VerifiedRequest verified) {
            VerifiedWebhook webhook = (VerifiedWebhook) verified.getAttribute(HookwardenFilter.VERIFIED_WEBHOOK);
            assertThat(mode).as("verified without a valid signature").isEqualTo(1);
            assertThat(webhook.body()).isEqualTo(body);
            assertThat(routed).isEqualTo(PATH);
        } else {
            assertThat(routed).as("passed on unverified").isNotEqualTo(PATH);
            assertThat(PathFolding.fold(routed)).isNotEqualTo(PathFolding.fold(PATH));
            assertThat(PathFolding.fold(uri)).isNotEqualTo(PathFolding.fold(PATH));
        }
    }

    private static HttpServletRequest request(
            String method, String uri, String routed, Map<String, List<String>> headers, byte[] body) {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        ServletInputStream stream = new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {}
        };
        Map<String, Object> attributes = new HashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(
                HttpServletRequest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "getMethod":
                            return method;
                        case "getRequestURI":
                            return uri;
                        case "getRequestURL":
                            return new StringBuffer("http://hooks.example.com").append(uri);
                        case "getQueryString":
                        case "getPathInfo":
                        case "getCharacterEncoding":
                            return null;
                        case "getServletPath":
                            return routed;
                        case "getContextPath":
                            return "";
                        case "getRemoteAddr":
                            return "203.0.113.7";
                        case "getDispatcherType":
                            return DispatcherType.REQUEST;
                        case "getHeaderNames":
                            return Collections.enumeration(headers.keySet());
                        case "getHeaders":
                            return Collections.enumeration(values(headers, (String) a[0]));
                        case "getHeader":
                            List<String> values = values(headers, (String) a[0]);
                            return values.isEmpty() ? null : values.get(0);
                        case "getContentLengthLong":
                            return (long) body.length;
                        case "getContentLength":
                            return body.length;
                        case "getContentType":
                            return "application/json";
                        case "getInputStream":
                            return stream;
                        case "getAttribute":
                            return attributes.get((String) a[0]);
                        case "setAttribute":
                            attributes.put((String) a[0], a[1]);
                            return null;
                        case "removeAttribute":
                            attributes.remove((String) a[0]);
                            return null;
                        case "isAsyncStarted":
                            return false;
                        default:
                            return null;
                    }
                });
    }

    private static List<String> values(Map<String, List<String>> headers, String name) {
        List<String> out = new ArrayList<>();
        headers.forEach((n, v) -> {
            if (n.equalsIgnoreCase(name)) {
                out.addAll(v);
            }
        });
        return out;
    }

    /** A response that records its status, headers and body. */
    private static final class Recorded {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean committed;

        HttpServletResponse proxy() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    committed = true;
                    body.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    committed = true;
                    body.write(b, off, len);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {}
            };
            return (HttpServletResponse) Proxy.newProxyInstance(
                    HttpServletResponse.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class},
                    (p, m, a) -> {
                        switch (m.getName()) {
                            case "setStatus":
                                status = (Integer) a[0];
                                return null;
                            case "getStatus":
                                return status;
                            case "setHeader":
                            case "addHeader":
                                headers.put((String) a[0], (String) a[1]);
                                return null;
                            case "getOutputStream":
                                return out;
                            case "isCommitted":
                                return committed;
                            case "flushBuffer":
                                committed = true;
                                return null;
                            case "reset":
                                body.reset();
                                headers.clear();
                                status = 200;
                                return null;
                            default:
                                return null;
                        }
                    });
        }
    }
}
