package io.hookwarden.spring.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends requests over a raw socket, so the request line and the framing headers carry exactly what the test writes:
 * no client normalises the path, and a request may be framed twice ({@code Content-Length} and {@code
 * Transfer-Encoding}). Reads the whole answer until the server closes the connection.
 */
final class RawHttp {
    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** A request with a {@code Content-Length} body and {@code Connection: close}. */
    Answer send(String method, String path, String body, Map<String, List<String>> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n");
        headers.forEach((name, values) ->
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
        head.append("\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(bytes);
        return exchange(request.toByteArray());
    }

    /** Writes {@code request} as is and reads the answer until the server closes the connection. */
    Answer exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new IOException("the server neither answered nor closed in 10 s: " + answer, e);
            }
            return Answer.parse(answer.toString(StandardCharsets.ISO_8859_1));
        }
    }

    /** What came back: the first answer's status and headers (names lower-cased), and everything read. */
    record Answer(int status, Map<String, String> headers, String raw) {
        static Answer parse(String raw) {
            if (!raw.startsWith("HTTP/1.1 ")) {
                throw new AssertionError("not an HTTP/1.1 answer: " + raw);
            }
            int status = Integer.parseInt(raw.substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            int end = raw.indexOf("\r\n\r\n");
            for (String line : raw.substring(0, end < 0 ? raw.length() : end).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(
                            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            }
            return new Answer(status, headers, raw);
        }

        /** How many answers the connection carried. */
        int answers() {
            int count = 0;
            for (int at = raw.indexOf("HTTP/1.1 "); at >= 0; at = raw.indexOf("HTTP/1.1 ", at + 1)) {
                count++;
            }
            return count;
        }
    }
}
