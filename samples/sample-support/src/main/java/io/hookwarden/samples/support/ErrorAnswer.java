package io.hookwarden.samples.support;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answer a sample's server gives for an error of its own (a malformed request, a body that timed out, a method it
 * does not serve): {@code application/problem+json} with the status and its standard title, and nothing else. No
 * container name or version, no exception, no message from the request, so an error page tells a stranger nothing
 * about the server (issue 12). Hookwarden's own refusals keep their {@code reason}; this is only for the container's.
 */
public final class ErrorAnswer {
    /** The content type of {@link #body(int)}. */
    public static final String CONTENT_TYPE = "application/problem+json";

    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(406, "Not Acceptable"),
            Map.entry(408, "Request Timeout"),
            Map.entry(411, "Length Required"),
            Map.entry(413, "Content Too Large"),
            Map.entry(414, "URI Too Long"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(417, "Expectation Failed"),
            Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(505, "HTTP Version Not Supported"));

    private ErrorAnswer() {}

    /** The standard title of {@code status}, or {@code Error} for one without a title here. */
    public static String title(int status) {
        return TITLES.getOrDefault(status, "Error");
    }

    /** The problem JSON for {@code status}: {@code {"title":"Bad Request","status":400}}. */
    public static String body(int status) {
        return "{\"title\":\"" + title(status) + "\",\"status\":" + status + "}";
    }

    /** {@link #body(int)} in UTF-8. */
    public static byte[] bytes(int status) {
        return body(status).getBytes(StandardCharsets.UTF_8);
    }
}
