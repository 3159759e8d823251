package io.hookwarden.servlet;

import io.hookwarden.VerifiedWebhook;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The request an accepted delivery goes down the chain in: it replays the verified body bytes from every call to
 * {@link #getInputStream()} and {@link #getReader()}, each starting at the first byte. The reader decodes with the
 * request's character encoding, UTF-8 when it names none (JSON, RFC 8259). A form body's parameters are parsed from
 * the same bytes. Not thread-safe, like any request.
 *
 * <p>Public for other adapters built on the servlet API (the Spring adapter wraps the capped body in it before its
 * framework reads the request); the bytes are not copied, so the caller must not change them afterwards.
 */
public final class VerifiedRequest extends HttpServletRequestWrapper {
    private static final String FORM = "application/x-www-form-urlencoded";

    private final ByteBuffer body;
    private String characterEncoding;
    private Map<String, String[]> formParameters;

    /**
     * A request replaying {@code body}.
     *
     * @param request the request as received
     * @param body the body already read from it, under the endpoint's cap; not copied
     * @throws NullPointerException if request or body is null
     */
    public VerifiedRequest(HttpServletRequest request, byte[] body) {
        this(
                request,
                ByteBuffer.wrap(Objects.requireNonNull(body, "body cannot be null"))
                        .asReadOnlyBuffer());
    }

    /**
     * A request replaying the verified delivery's body, the bytes the receiver read, without a copy.
     *
     * @param request the request as received
     * @param webhook the verified delivery
     * @throws NullPointerException if request or webhook is null
     */
    public VerifiedRequest(HttpServletRequest request, VerifiedWebhook webhook) {
        this(
                request,
                Objects.requireNonNull(webhook, "webhook cannot be null")
                        .request()
                        .bodyBuffer());
    }

    private VerifiedRequest(HttpServletRequest request, ByteBuffer body) {
        super(request);
        this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
        return new BodyStream(body.duplicate());
    }

    @Override
    public BufferedReader getReader() throws UnsupportedEncodingException {
        return new BufferedReader(new InputStreamReader(new BodyStream(body.duplicate()), charset()));
    }

    @Override
    public int getContentLength() {
        return body.remaining();
    }

    @Override
    public long getContentLengthLong() {
        return body.remaining();
    }

    @Override
    public String getCharacterEncoding() {
        return characterEncoding != null ? characterEncoding : super.getCharacterEncoding();
    }

    @Override
    public void setCharacterEncoding(String encoding) throws UnsupportedEncodingException {
        charsetOf(encoding);
        this.characterEncoding = encoding;
    }

    /**
     * For a form body ({@code application/x-www-form-urlencoded}, as Slack and Twilio post), the query's parameters
     * followed by the body's, decoded with the request's charset; the container cannot parse them, as the filter has
     * read the body. Otherwise the container's parameters.
     */
    @Override
    public Map<String, String[]> getParameterMap() {
        if (!isForm()) {
            return super.getParameterMap();
        }
        if (formParameters == null) {
            Map<String, List<String>> values = new LinkedHashMap<>();
            parse(getQueryString(), StandardCharsets.UTF_8, values);
            Charset charset;
            try {
                charset = charset();
            } catch (UnsupportedEncodingException e) {
                charset = StandardCharsets.UTF_8;
            }
            parse(charset.decode(body.duplicate()).toString(), charset, values);
            Map<String, String[]> map = new LinkedHashMap<>();
            values.forEach((name, list) -> map.put(name, list.toArray(new String[0])));
            formParameters = Collections.unmodifiableMap(map);
        }
        return formParameters;
    }

    @Override
    public String getParameter(String name) {
        String[] values = getParameterMap().get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = getParameterMap().get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(getParameterMap().keySet());
    }

    private boolean isForm() {
        String type = getContentType();
        return type != null && type.regionMatches(true, 0, FORM, 0, FORM.length());
    }

    /** URL-decodes {@code name=value&...}, its %-escapes as bytes of {@code charset}. */
    private static void parse(String text, Charset charset, Map<String, List<String>> into) {
        if (text == null || text.isEmpty()) {
            return;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                into.computeIfAbsent(URLDecoder.decode(name, charset), n -> new ArrayList<>())
                        .add(URLDecoder.decode(value, charset));
            } catch (IllegalArgumentException malformedEscape) {
                // a malformed %-escape: the pair is skipped, as containers do
            }
        }
    }

    private Charset charset() throws UnsupportedEncodingException {
        String encoding = getCharacterEncoding();
        return encoding == null ? StandardCharsets.UTF_8 : charsetOf(encoding);
    }

    private static Charset charsetOf(String encoding) throws UnsupportedEncodingException {
        Objects.requireNonNull(encoding, "encoding cannot be null");
        try {
            return Charset.forName(encoding);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException("unsupported character encoding " + encoding);
        }
    }

    /** A servlet stream over bytes already read; always ready. */
    static final class BodyStream extends ServletInputStream {
        private final ByteBuffer body;

        BodyStream(ByteBuffer body) {
            this.body = body;
        }

        @Override
        public int read() {
            return body.hasRemaining() ? body.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!body.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, body.remaining());
            body.get(b, off, n);
            return n;
        }

        @Override
        public byte[] readAllBytes() {
            byte[] rest = new byte[body.remaining()];
            body.get(rest);
            return rest;
        }

        @Override
        public long skip(long n) {
            int skipped = (int) Math.max(0, Math.min(n, body.remaining()));
            body.position(body.position() + skipped);
            return skipped;
        }

        @Override
        public int available() {
            return body.remaining();
        }

        @Override
        public boolean isFinished() {
            return !body.hasRemaining();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        /** Every byte is already here: the listener hears at once that data is available and that all of it was read. */
        @Override
        public void setReadListener(ReadListener listener) {
            Objects.requireNonNull(listener, "listener cannot be null");
            try {
                if (!isFinished()) {
                    listener.onDataAvailable();
                }
                listener.onAllDataRead();
            } catch (IOException | RuntimeException e) {
                listener.onError(e);
            }
        }
    }
}
