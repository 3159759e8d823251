package io.hookwarden;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The URL a sender addressed, for schemes that sign it (Twilio, Square). Behind a reverse proxy the request's own URL
 * is the proxy's ({@code http://app:8080/...}); the public one is rebuilt from {@code Forwarded} (RFC 7239) or {@code
 * X-Forwarded-Proto}, {@code -Host} and {@code -Port}, but only when the request's remote address is one of the
 * configured trusted proxies: from anyone else those headers are ignored, since anyone can send them. The last entry
 * of each header is used (the one the nearest proxy added). Immutable and thread-safe.
 */
final class PublicUrl {
    static final PublicUrl DIRECT = new PublicUrl(List.of());

    private final List<Cidr> trusted;

    private PublicUrl(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /**
     * @param cidrs addresses ({@code 10.0.0.7}) or ranges ({@code 10.0.0.0/8}, {@code fd00::/8}) of trusted proxies
     * @throws IllegalArgumentException for one that is not an IP literal or range, echoing it
     */
    static PublicUrl trusting(String... cidrs) {
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            parsed.add(Cidr.parse(java.util.Objects.requireNonNull(cidr, "trusted proxy cannot be null")));
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("give at least one trusted proxy address or range");
        }
        return new PublicUrl(parsed);
    }

    /** The URL the sender addressed, or null when the request's URL is unknown. */
    String of(WebhookRequest request) {
        String url = request.url().orElse(null);
        if (url == null || trusted.isEmpty()) {
            return url;
        }
        String remote = request.remoteAddress().orElse(null);
        if (remote == null || !isTrusted(remote)) {
            return url;
        }
        Parts parts = Parts.of(url);
        if (parts == null) {
            return url;
        }
        Headers headers = request.headers();
        String proto = null;
        String host = null;
        String port = null;
        String forwarded = last(headers.all("Forwarded"));
        if (forwarded != null) {
            for (String pair : forwarded.split(";")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = unquote(pair.substring(eq + 1).strip());
                if (key.equals("proto")) {
                    proto = value;
                } else if (key.equals("host")) {
                    host = value;
                }
            }
        } else {
            proto = last(headers.all("X-Forwarded-Proto"));
            host = last(headers.all("X-Forwarded-Host"));
            port = last(headers.all("X-Forwarded-Port"));
        }
        String scheme = proto == null ? parts.scheme() : proto.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return url;
        }
        String authority = host == null ? parts.authority() : host;
        if (!validAuthority(authority)) {
            return url;
        }
        if (port != null) {
            if (!port.chars().allMatch(c -> c >= '0' && c <= '9') || port.isEmpty() || port.length() > 5) {
                return url;
            }
            authority = Parts.withoutPort(authority) + ":" + port;
        }
        return scheme + "://" + authority + parts.rest();
    }

    private boolean isTrusted(String remote) {
        byte[] address = Cidr.literal(remote);
        if (address == null) {
            return false;
        }
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The last comma-separated entry of the last value. */
    private static String last(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        String value = values.get(values.size() - 1);
        int comma = value.lastIndexOf(',');
        String entry = (comma < 0 ? value : value.substring(comma + 1)).strip();
        return entry.isEmpty() ? null : entry;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    private static boolean validAuthority(String authority) {
        if (authority.isEmpty() || authority.length() > 255) {
            return false;
        }
        for (int i = 0; i < authority.length(); i++) {
            char c = authority.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '-'
                    || c == ':'
                    || c == '['
                    || c == ']'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "PublicUrl" + trusted;
    }

    /**
     * A URL split as {@code scheme://authority rest}, where rest is the path, query and fragment.
     *
     * @param scheme lower case
     * @param authority {@code [userinfo@]host[:port]}
     * @param rest from the first {@code /}, {@code ?} or {@code #} after the authority; may be empty
     */
    record Parts(String scheme, String authority, String rest) {
        static Parts of(String url) {
            int colon = url.indexOf("://");
            if (colon <= 0) {
                return null;
            }
            int start = colon + 3;
            int end = start;
            while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
                end++;
            }
            return new Parts(
                    url.substring(0, colon).toLowerCase(Locale.ROOT), url.substring(start, end), url.substring(end));
        }

        /** The port, or -1 when the authority has none. */
        int port() {
            int at = authority.lastIndexOf('@');
            String hostPort = authority.substring(at + 1);
            int close = hostPort.lastIndexOf(']');
            int colon = hostPort.lastIndexOf(':');
            if (colon <= close || colon == hostPort.length() - 1) {
                return -1;
            }
            try {
                return Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        static String withoutPort(String authority) {
            int at = authority.lastIndexOf('@');
            int close = authority.lastIndexOf(']');
            int colon = authority.lastIndexOf(':');
            return colon > at && colon > close ? authority.substring(0, colon) : authority;
        }

        String withPort(String newAuthority) {
            return scheme + "://" + newAuthority + rest;
        }

        int defaultPort() {
            return scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        }

        /** This URL with its port removed when it has one, or the scheme's default port added when it has none. */
        String portToggled() {
            if (port() >= 0 || authority.endsWith(":")) {
                return withPort(withoutPort(authority));
            }
            int port = defaultPort();
            return port < 0 ? null : withPort(authority + ":" + port);
        }
    }
}
