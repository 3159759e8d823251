package io.hookwarden;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A fuzz input read as a delivery to one of the {@link FuzzEndpoints}, in a text form a person can read and write in a
 * corpus file: the endpoint's label on the first line, then {@code METHOD URL}, then one {@code Name: value} line per
 * header, an empty line, and the body's raw bytes.
 *
 * <pre>
 * stripe
 * POST https://hooks.example.com/in?tenant=7
 * Stripe-Signature: t=1772366400,v1=...
 *
 * {"id":"evt_1"}
 * </pre>
 *
 * <p>Any bytes are some delivery: the head is read as UTF-8 (malformed sequences become U+FFFD), lines may end in
 * CRLF, a line without a colon is a header with an empty value, an empty header name or a blank method is skipped (an
 * HTTP server never hands those on), a URL of {@code -} is none, and an unknown label picks an endpoint by its hash.
 *
 * @param endpoint where it goes
 * @param request what arrives
 */
record FuzzDelivery(FuzzEndpoints.Endpoint endpoint, WebhookRequest request) {
    private static final byte[] END_OF_HEAD = {'\n', '\n'};
    private static final byte[] END_OF_HEAD_CRLF = {'\r', '\n', '\r', '\n'};

    static FuzzDelivery read(byte[] input) {
        int crlf = indexOf(input, END_OF_HEAD_CRLF);
        int lf = indexOf(input, END_OF_HEAD);
        int headEnd;
        int bodyStart;
        if (crlf >= 0 && (lf < 0 || crlf < lf)) {
            headEnd = crlf;
            bodyStart = crlf + END_OF_HEAD_CRLF.length;
        } else if (lf >= 0) {
            headEnd = lf;
            bodyStart = lf + END_OF_HEAD.length;
        } else {
            headEnd = input.length;
            bodyStart = input.length;
        }
        String head = new String(input, 0, headEnd, StandardCharsets.UTF_8);
        String[] lines = head.split("\r?\n", -1);
        FuzzEndpoints.Endpoint endpoint = FuzzEndpoints.byLabel(lines[0].strip());
        WebhookRequest.Builder request = WebhookRequest.builder();
        if (lines.length > 1) {
            String requestLine = lines[1];
            int space = requestLine.indexOf(' ');
            String method = space < 0 ? requestLine : requestLine.substring(0, space);
            String url = space < 0 ? "-" : requestLine.substring(space + 1);
            if (!method.isBlank()) {
                request.method(method);
            }
            request.url(url.equals("-") ? null : url);
        }
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
            if (!name.isEmpty()) {
                request.header(name, value);
            }
        }
        request.body(Arrays.copyOfRange(input, bodyStart, input.length));
        return new FuzzDelivery(endpoint, request.build());
    }

    /** This delivery in the form {@link #read} reads (header values must not hold line breaks). */
    byte[] write() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        head.append(endpoint.label()).append('\n');
        head.append(request.method())
                .append(' ')
                .append(request.url().orElse("-"))
                .append('\n');
        for (Map.Entry<String, List<String>> header : request.headers().toMap().entrySet()) {
            for (String value : header.getValue()) {
                head.append(header.getKey()).append(": ").append(value).append('\n');
            }
        }
        head.append('\n');
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(request.body());
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
