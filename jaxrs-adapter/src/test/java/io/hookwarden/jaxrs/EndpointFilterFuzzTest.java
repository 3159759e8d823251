package io.hookwarden.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hookwarden.Delivery;
import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Schemes;
import io.hookwarden.VerifiedWebhook;
import io.hookwarden.WebhookMessage;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookRequest;
import io.hookwarden.WebhookSigner;
import io.hookwarden.WebhookVerifier;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 17): the JAX-RS endpoint filter's translation of a request (method, raw request URI, header names
 * and values in any case and number, {@code Content-Length} absent, true, false or not a number, the body) into the
 * core's exchange, and of the resource method's status back into the claim. The filter is registered on the endpoint's
 * resource method, so every request it sees is the endpoint's: it either aborts with a typed refusal (a 4xx, never a
 * 5xx: the store here never fails) or lets the method run with a verified delivery, and only with one signed with the
 * endpoint's key whose body, as the container framed it, is the one signed.
 */
class EndpointFilterFuzzTest {
    private static final String SECRET = "whsec_ZnV6eiB0aGUgSkFYLVJTIGZpbHRlciB0b28h";
    private static final WebhookSigner SIGNER = WebhookSigner.builder()
            .scheme(Schemes.standardWebhooks())
            .secret(SECRET)
            .build();
    private static final List<String> METHODS = List.of("POST", "GET", "HEAD", "PUT", "OPTIONS", "DELETE", "post");
    private static final List<String> PATHS = List.of(
            "/hooks/standard",
            "/hooks/standard/",
            "/hooks//standard",
            "/hooks/./standard",
            "/hooks/standard;x=1",
            "/hooks/%73tandard",
            "/hooks/standard%",
            "/hooks/st%C3%A4ndard",
            "/hooks/standard?x=1&x=2",
            "/");
    private static final List<Integer> STATUSES = List.of(200, 204, 400, 404, 409, 500, 503);

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void abortsWithARefusalOrPassesOnOnlyAnIntactSignedDelivery(FuzzedDataProvider data) throws Exception {
        // given: the endpoint's filter, and a request shaped by the input
        WebhookReceiver receiver = WebhookReceiver.builder()
                .name("standard")
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(SECRET)
                        .maxBodyBytes(4096)
                        .build())
                .dedupeStore(InMemoryDedupeStore.create())
                .build();
        EndpointFilter filter = new EndpointFilter(receiver, r -> "203.0.113.7");
        // A container parses the method from the request line: never empty, never blank.
        String method = data.consumeBoolean()
                ? data.pickValue(METHODS)
                : "X" + data.consumeString(10).strip();
        URI uri = uri(data.consumeBoolean() ? data.pickValue(PATHS) : data.consumeString(80));
        int mode = data.consumeInt(0, 2); // 0 unsigned, 1 signed, 2 signed then its body changed
        int length = data.consumeInt(0, 3); // Content-Length: 0 absent, 1 true, 2 a fuzzed number, 3 any text
        String lengthText = length == 2 ? Long.toString(data.consumeLong()) : length == 3 ? data.consumeString(12) : "";
        int answered = data.pickValue(STATUSES);
        List<String[]> headers = new ArrayList<>();
        int count = data.consumeInt(0, 16);
        for (int i = 0; i < count; i++) {
            headers.add(new String[] {data.consumeString(24), data.consumeString(64)});
        }
        byte[] body = data.consumeRemainingAsBytes();
        byte[] signedBody = body;
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
        if (length == 1) {
            headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
        } else if (length > 1) {
            headers.add(new String[] {"Content-Length", lengthText});
        }
        // Header names are case-insensitive, and a container never hands an empty one on.
        Map<String, List<String>> folded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String[] h : headers) {
            if (!h[0].isEmpty()) {
                folded.computeIfAbsent(h[0], k -> new ArrayList<>()).add(h[1]);
            }
        }
        // A container frames the body by a Content-Length it could parse: the bytes past it are not this request's.
        byte[] delivered = body;
        List<String> lengths = folded.get("Content-Length");
        if (lengths != null && lengths.size() == 1 && lengths.get(0).matches("[0-9]{1,18}")) {
            delivered = Arrays.copyOf(body, (int) Math.min(body.length, Long.parseLong(lengths.get(0))));
        }
        FakeRequest request = new FakeRequest(method, uri, folded, new ByteArrayInputStream(delivered));

        // when
        filter.filter(request.proxy());

        // then
        if (request.aborted.get() != null) {
            Response refused = request.aborted.get();
            assertThat(refused.getStatus()).as("the filter's own answer").isBetween(400, 499);
            assertThat(request.properties).doesNotContainKey(HookwardenFeature.VERIFIED_WEBHOOK);
            Object entity = refused.getEntity();
            if (entity instanceof byte[] bytes) {
                assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContainIgnoringCase("exception");
            }
            return;
        }
        VerifiedWebhook webhook = (VerifiedWebhook) request.properties.get(HookwardenFeature.VERIFIED_WEBHOOK);
        assertThat(webhook).as("neither refused nor verified").isNotNull();
        assertThat(mode).as("verified an unsigned delivery").isNotZero();
        assertThat(delivered).as("verified bytes that were not signed").isEqualTo(signedBody);
        assertThat(webhook.body()).isEqualTo(signedBody);
        assertThat(request.entity.readAllBytes())
                .as("the body replayed to the method")
                .isEqualTo(signedBody);
        Delivery delivery = (Delivery) request.properties.get(EndpointFilter.DELIVERY);

        // and when the resource method answers, the claim is settled by its status
        FakeResponse response = new FakeResponse(answered);
        filter.filter(request.proxy(), response.proxy());
        assertThat(delivery.isFinished()).isTrue();
        assertThat(request.properties).doesNotContainKey(EndpointFilter.DELIVERY);
        assertThat(response.status).isEqualTo(answered);
        if (answered == 500) {
            assertThat(response.entity)
                    .as("a handler's 500 becomes the receiver's problem")
                    .isNotNull();
        }
    }

    /** The request URI a container hands on: the fuzzed text as sent when it parses, else with its illegal chars quoted. */
    private static URI uri(String path) {
        try {
            return new URI("http://hooks.example.com" + (path.startsWith("/") ? "" : "/") + path);
        } catch (URISyntaxException e) {
            try {
                return new URI("http", "hooks.example.com", path.startsWith("/") ? path : "/" + path, null);
            } catch (URISyntaxException again) {
                return URI.create("http://hooks.example.com/");
            }
        }
    }

    /** A container's request context: what JAX-RS gives a pre-matched filter, recorded. */
    private static final class FakeRequest {
        final String method;
        final URI uri;
        final MultivaluedMap<String, String> headers;
        final Map<String, Object> properties = new HashMap<>();
        final AtomicReference<Response> aborted = new AtomicReference<>();
        InputStream entity;

        FakeRequest(String method, URI uri, Map<String, List<String>> headers, InputStream entity) {
            this.method = method;
            this.uri = uri;
            this.headers = new MultivaluedHashMap<>();
            headers.forEach(this.headers::addAll);
            this.entity = entity;
        }

        ContainerRequestContext proxy() {
            UriInfo uriInfo = (UriInfo) Proxy.newProxyInstance(
                    UriInfo.class.getClassLoader(),
                    new Class<?>[] {UriInfo.class},
                    (p, m, a) -> m.getName().equals("getRequestUri") ? uri : null);
            return (ContainerRequestContext) Proxy.newProxyInstance(
                    ContainerRequestContext.class.getClassLoader(),
                    new Class<?>[] {ContainerRequestContext.class},
                    (p, m, a) -> {
                        switch (m.getName()) {
                            case "getMethod":
                                return method;
                            case "getUriInfo":
                                return uriInfo;
                            case "getHeaders":
                                return headers;
                            case "getHeaderString":
                                List<String> values = headers.get((String) a[0]);
                                return values == null ? null : String.join(",", values);
                            case "getEntityStream":
                                return entity;
                            case "setEntityStream":
                                entity = (InputStream) a[0];
                                return null;
                            case "hasEntity":
                                return true;
                            case "getProperty":
                                return properties.get((String) a[0]);
                            case "setProperty":
                                properties.put((String) a[0], a[1]);
                                return null;
                            case "removeProperty":
                                properties.remove((String) a[0]);
                                return null;
                            case "abortWith":
                                aborted.set((Response) a[0]);
                                return null;
                            default:
                                return null;
                        }
                    });
        }
    }

    /** The resource method's answer, as a response filter sees it. */
    private static final class FakeResponse {
        int status;
        final MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        Object entity;

        FakeResponse(int status) {
            this.status = status;
        }

        ContainerResponseContext proxy() {
            return (ContainerResponseContext) Proxy.newProxyInstance(
                    ContainerResponseContext.class.getClassLoader(),
                    new Class<?>[] {ContainerResponseContext.class},
                    (p, m, a) -> {
                        switch (m.getName()) {
                            case "getStatus":
                                return status;
                            case "setStatus":
                                status = (Integer) a[0];
                                return null;
                            case "getStatusInfo":
                                return Response.Status.fromStatusCode(status);
                            case "getHeaders":
                                return headers;
                            case "setEntity":
                                entity = a[0];
                                return null;
                            default:
                                return null;
                        }
                    });
        }
    }
}
