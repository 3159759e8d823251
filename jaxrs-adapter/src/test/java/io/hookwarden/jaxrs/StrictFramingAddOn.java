package io.hookwarden.jaxrs;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.ContentEncoding;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpPacketParsing;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.http.util.MimeHeaders;

/**
 * A Grizzly add-on that refuses, with Grizzly's own 400 and a closed connection, a request whose head has both
 * {@code Content-Length} and {@code Transfer-Encoding}. Grizzly 4.0.2 drops a {@code Content-Length} that a
 * {@code Transfer-Encoding} follows while it parses the head, so no JAX-RS filter can see the conflict, and it parses
 * the bytes after the chunked body as the next request before any answer is written; only its HTTP parser can refuse
 * it. The recipe in {@code docs/jaxrs.md}; register it on each listener before the server starts:
 *
 * <pre>{@code
 * HttpServer server = GrizzlyHttpServerFactory.createHttpServer(uri, app, false);
 * server.getListeners().forEach(listener -> listener.registerAddOn(new StrictFramingAddOn()));
 * server.start();
 * }</pre>
 */
final class StrictFramingAddOn implements AddOn {
    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int codec = builder.indexOfType(HttpServerFilter.class);
        builder.set(codec, new StrictFramingCodec(listener, (HttpServerFilter) builder.get(codec)));
    }

    /** Grizzly's HTTP server codec, configured as the one it replaces, that fails a head framed two ways. */
    private static final class StrictFramingCodec extends HttpServerFilter {
        @SuppressWarnings("deprecation")
        StrictFramingCodec(NetworkListener listener, HttpServerFilter replaced) {
            super(
                    listener.isChunkingEnabled(),
                    listener.getMaxHttpHeaderSize() == -1
                            ? HttpServerFilter.DEFAULT_MAX_HTTP_PACKET_HEADER_SIZE
                            : listener.getMaxHttpHeaderSize(),
                    null,
                    listener.getKeepAlive(),
                    null,
                    listener.getMaxRequestHeaders(),
                    listener.getMaxResponseHeaders());
            for (ContentEncoding encoding : replaced.getContentEncodings()) {
                addContentEncoding(encoding);
            }
            setAllowPayloadForUndefinedHttpMethods(replaced.isAllowPayloadForUndefinedHttpMethods());
            setMaxPayloadRemainderToSkip(replaced.getMaxPayloadRemainderToSkip());
            getMonitoringConfig().addProbes(replaced.getMonitoringConfig().getProbes());
        }

        /** True (a bad head: 400, connection closed) when both framing headers were sent, in either order. */
        @Override
        protected boolean onHttpHeaderParsed(HttpHeader header, Buffer buffer, FilterChainContext ctx) {
            MimeHeaders headers = header.getHeaders();
            // Content-Length before Transfer-Encoding was counted, then removed; after it, it is kept but ignored
            boolean contentLength = headers.contains(Header.ContentLength)
                    || header instanceof HttpPacketParsing parsing
                            && parsing.getHeaderParsingState().contentLengthHeadersCount > 0;
            if (contentLength && headers.contains(Header.TransferEncoding)) {
                return true;
            }
            return super.onHttpHeaderParsed(header, buffer, ctx);
        }
    }
}
