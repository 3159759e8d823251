package io.hookwarden;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP answer a receiver gives the sender: a status, a few headers and a body. Every adapter copies it out
 * verbatim, so the status table of the design lives here once.
 *
 * <p>Refusals are {@code application/problem+json} (RFC 9457) with the {@link Reason} code and its title; they never
 * carry a secret, an expected signature or a payload value. Immutable and thread-safe.
 */
public final class HttpAnswer {
    /** The media type of refusals. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpAnswer OK = new HttpAnswer(200, Map.of(), new byte[0], null, null, Map.of());

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Reason reason;
    private final Duration retryAfter;
    private final Map<String, Object> extras;

    private HttpAnswer(
            int status,
            Map<String, String> headers,
            byte[] body,
            Reason reason,
            Duration retryAfter,
            Map<String, Object> extras) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.reason = reason;
        this.retryAfter = retryAfter;
        this.extras = extras;
    }

    /** 200 with no body: what a receiver answers when the application's handler succeeded. */
    public static HttpAnswer ok() {
        return OK;
    }

    /**
     * {@code status} with no body: a queued delivery's answer (200 or 202).
     *
     * @throws IllegalArgumentException if status is out of range
     */
    static HttpAnswer empty(int status) {
        checkStatus(status);
        return status == 200 ? OK : new HttpAnswer(status, Map.of(), new byte[0], null, null, Map.of());
    }

    /**
     * An answer with a body.
     *
     * @param status the HTTP status, 100 to 599
     * @param contentType the body's media type
     * @param body the body, copied
     * @throws IllegalArgumentException if status is out of range
     * @throws NullPointerException if contentType or body is null
     */
    public static HttpAnswer of(int status, String contentType, byte[] body) {
        checkStatus(status);
        Objects.requireNonNull(contentType, "contentType cannot be null");
        Objects.requireNonNull(body, "body cannot be null");
        return new HttpAnswer(status, Map.of("Content-Type", contentType), body.clone(), null, null, Map.of());
    }

    /**
     * An answer with a text body, encoded as UTF-8.
     *
     * @throws IllegalArgumentException if status is out of range
     * @throws NullPointerException if contentType or body is null
     */
    public static HttpAnswer of(int status, String contentType, String body) {
        Objects.requireNonNull(body, "body cannot be null");
        return of(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The answer for a reason: its status, {@code application/problem+json} with the reason code and title.
     *
     * @param retryAfter sent as {@code Retry-After} (whole seconds, at least 1) when the reason is retryable; may be
     *     null for none
     * @throws NullPointerException if reason is null
     */
    public static HttpAnswer problem(Reason reason, Duration retryAfter) {
        return problem(reason, retryAfter, null);
    }

    /**
     * The answer for a reason with extra members in the problem document, such as the JSON pointers that failed a
     * schema. The caller guarantees the extras carry no secret and no payload value.
     *
     * @throws NullPointerException if reason is null
     */
    public static HttpAnswer problem(Reason reason, Duration retryAfter, Map<String, ?> extras) {
        Objects.requireNonNull(reason, "reason cannot be null");
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("type", type(reason));
        doc.put("title", reason.title());
        doc.put("status", reason.httpStatus());
        doc.put("reason", reason.name());
        if (extras != null) {
            extras.forEach((name, value) -> doc.set(name, MAPPER.valueToTree(value)));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", reason.httpStatus() < 400 ? "application/json" : PROBLEM_JSON);
        if (reason == Reason.METHOD_NOT_ALLOWED) {
            headers.put("Allow", "POST");
        }
        Duration sentRetryAfter = null;
        if (reason.retryable() && retryAfter != null) {
            sentRetryAfter = Duration.ofSeconds(Math.max(1, retryAfter.toSeconds()));
            headers.put("Retry-After", Long.toString(sentRetryAfter.toSeconds()));
        }
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render problem document for " + reason, e);
        }
        Map<String, Object> members = new LinkedHashMap<>();
        if (extras != null) {
            extras.forEach((name, value) -> members.put(name, MAPPER.convertValue(value, Object.class)));
        }
        return new HttpAnswer(
                reason.httpStatus(),
                Collections.unmodifiableMap(headers),
                body,
                reason,
                sentRetryAfter,
                Collections.unmodifiableMap(members));
    }

    /**
     * This answer with one more header, for a handshake whose provider asks for it (Dropbox's {@code
     * X-Content-Type-Options: nosniff} on the echoed challenge).
     */
    HttpAnswer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpAnswer(status, Collections.unmodifiableMap(more), body, reason, retryAfter, extras);
    }

    private static void checkStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be between 100 and 599 but was " + status);
        }
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The headers to send, including {@code Content-Type} when there is a body; read-only. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The {@code Content-Type}, when the answer has a body. */
    public Optional<String> contentType() {
        return Optional.ofNullable(headers.get("Content-Type"));
    }

    /** The reason of a problem answer ({@link #problem}); empty for an answer made with {@link #of} or {@link #ok}. */
    public Optional<Reason> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * The problem's {@code type}, such as {@code urn:hookwarden:reason:signature-mismatch}; empty when the answer is
     * not a problem.
     */
    public Optional<String> type() {
        return reason().map(HttpAnswer::type);
    }

    private static String type(Reason reason) {
        return "urn:hookwarden:reason:" + reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The problem's {@code title}: the reason's title; empty when the answer is not a problem. */
    public Optional<String> title() {
        return reason().map(Reason::title);
    }

    /** The {@code Retry-After} sent, in whole seconds; empty when none is. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The problem's members beyond {@code type}, {@code title}, {@code status} and {@code reason}, as plain data
     * (maps, lists, strings, numbers), such as {@code violations}: a list of {@code {"pointer", "keyword"}} maps for a
     * schema violation. An adapter that renders problems its own way (Spring's {@code ProblemDetail}) copies them
     * from here instead of parsing {@link #body()}. Read-only; empty when there are none.
     */
    public Map<String, Object> problemExtras() {
        return extras;
    }

    /** A copy of the body; empty for none. */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpAnswer that
                && status == that.status
                && headers.equals(that.headers)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "HttpAnswer[" + status + ", " + headers + ", " + body.length + " bytes]";
    }
}
