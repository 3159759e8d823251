package io.hookwarden.samples.jaxrs;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpCodecFilter;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpPacketParsing;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.ServerConfiguration;
import org.glassfish.grizzly.http.util.Header;

/**
 * Makes Grizzly refuse a request that carries both {@code Content-Length} and {@code Transfer-Encoding}, with 400 and
 * a closed connection, as RFC 9112 section 6.1 allows. Grizzly frames such a request as chunked, drops its {@code
 * Content-Length} before any handler sees it, and runs the bytes after the chunked body as a second request on the
 * same connection: a request smuggled past whatever framed it by {@code Content-Length} (issue 12). No setting turns
 * that off, so this add-on swaps the listener's HTTP codec for one that checks the headers as they are parsed.
 *
 * <p>Thread-safe.
 */
final class StrictFraming implements AddOn {
    private final ServerConfiguration server;

    StrictFraming(ServerConfiguration server) {
        this.server = server;
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int codec = builder.indexOfType(HttpServerFilter.class);
        int maxHeaderSize = listener.getMaxHttpHeaderSize() == -1
                ? HttpCodecFilter.DEFAULT_MAX_HTTP_PACKET_HEADER_SIZE
                : listener.getMaxHttpHeaderSize();
        // The same arguments HttpServer gives the codec it builds (compression is off).
        @SuppressWarnings("deprecation")
        Codec strict = new Codec(
                listener.isChunkingEnabled(),
                maxHeaderSize,
                listener.getKeepAlive(),
                listener.getMaxRequestHeaders(),
                listener.getMaxResponseHeaders());
        strict.setAllowPayloadForUndefinedHttpMethods(server.isAllowPayloadForUndefinedHttpMethods());
        strict.setMaxPayloadRemainderToSkip(server.getMaxPayloadRemainderToSkip());
        builder.set(codec, strict);
    }

    /** Grizzly's server codec, refusing the framing it would otherwise resolve in favour of chunked. */
    private static final class Codec extends HttpServerFilter {
        @SuppressWarnings("deprecation")
        Codec(
                boolean chunking,
                int maxHeaderSize,
                org.glassfish.grizzly.http.KeepAlive keepAlive,
                int maxRequestHeaders,
                int maxResponseHeaders) {
            super(chunking, maxHeaderSize, null, keepAlive, null, maxRequestHeaders, maxResponseHeaders);
        }

        /** Returning true answers 400 and closes the connection, as for two different Content-Lengths. */
        @Override
        protected boolean onHttpHeaderParsed(HttpHeader header, Buffer buffer, FilterChainContext ctx) {
            return conflictingFraming(header) || super.onHttpHeaderParsed(header, buffer, ctx);
        }

        /**
         * A Content-Length parsed before Transfer-Encoding was counted and then removed; one parsed after it was
         * ignored but kept among the headers.
         */
        private static boolean conflictingFraming(HttpHeader header) {
            if (header.getHeaders().getHeader(Header.TransferEncoding) == null) {
                return false;
            }
            return ((HttpPacketParsing) header).getHeaderParsingState().contentLengthHeadersCount > 0
                    || header.getHeaders().getHeader(Header.ContentLength) != null;
        }
    }
}
