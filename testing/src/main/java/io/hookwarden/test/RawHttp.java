package io.hookwarden.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP spoken by hand over a socket, for what a well-behaved client cannot do: a sender that writes its whole body
 * before it reads the answer, as many providers' HTTP clients do. Used by {@link AdapterContractTest} and by the
 * adapters' own HTTP tests.
 */
public final class RawHttp {
    private RawHttp() {}

    /**
     * Every other spelling of the path {@code /webhooks/stripe} that a container, a framework or a file system might
     * read as it (path parameters, percent escapes, encoded separators, dot segments, doubled or trailing slashes,
     * trailing dots, letter case): an adapter must never run the endpoint's handler for one, nor answer 2xx or 5xx.
     * Send them byte for byte, over a socket: an HTTP client would normalise them. A JUnit {@code @MethodSource}.
     */
    public static java.util.List<String> otherSpellingsOfWebhooksStripe() {
        return java.util.List.of(
                "/webhooks/stripe;x=1",
                "/webhooks/stripe;jsessionid=abc",
                "/webhooks;x=1/stripe",
                "/webhooks/%73tripe",
                "/webhooks/%2573tripe",
                "/webhooks/./stripe",
                "/webhooks/%2e/stripe",
                "/webhooks/x/../stripe",
                "/webhooks/x/%2e%2e/stripe",
                "/webhooks%2Fstripe",
                "/webhooks%2fstripe",
                "/webhooks/stripe%2F",
                "//webhooks/stripe",
                "/webhooks//stripe",
                "/webhooks/stripe/",
                "/webhooks/stripe//",
                "/webhooks/stripe/.",
                "/webhooks/stripe.",
                "/webhooks/STRIPE",
                "/Webhooks/Stripe",
                "/webhooks/stripe%3Bx=1");
    }

    /**
     * POSTs a body of {@code length} bytes of {@code x} to {@code path}, framed by {@code Content-Length} or in 64 KiB
     * chunks, writing every byte before reading anything, then reads the answer until the server closes the
     * connection (a reset after the answer counts as closed). A reset while writing (the server closed with the body
     * unread) is thrown: the sender would never see the answer.
     *
     * @param host the server's host
     * @param port the server's port
     * @param readTimeout how long each read may wait
     * @return the raw answer, head and body, as ISO-8859-1 text
     * @throws IOException if connecting or writing fails, or a read times out
     */
    public static String sendWholeBodyThenRead(
            String host, int port, String path, int length, boolean chunked, Duration readTimeout) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout((int) readTimeout.toMillis());
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nContent-Type: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] piece = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int sent = 0; sent < length; sent += piece.length) {
                if (chunked) {
                    out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(piece);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketException resetAfterTheAnswer) {
                // the answer was read first; a reset after it is the server closing with bytes unread
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
