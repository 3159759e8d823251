package io.hookwarden;

import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline's source check: the sender's address must be inside an allowlist. The address is the connection's
 * remote address; {@code X-Forwarded-For} is believed only when the connection comes from a configured trusted proxy,
 * and then read from the right, skipping the trusted proxies, so a client cannot choose its address by sending the
 * header itself. No address, or an address that is not an IP literal, is refused: the check fails closed. Immutable and
 * thread-safe.
 */
final class SourceCheck {
    private static final String FORWARDED_FOR = "x-forwarded-for";

    private final List<Cidr> allowed;
    private final List<Cidr> proxies;

    private SourceCheck(List<Cidr> allowed, List<Cidr> proxies) {
        this.allowed = allowed;
        this.proxies = proxies;
    }

    /**
     * @throws IllegalArgumentException naming the bad entry when one is not an IP address or CIDR range
     */
    static SourceCheck of(List<String> allowed, List<String> proxies) {
        return new SourceCheck(parse(allowed, "allowed source"), parse(proxies, "trusted proxy"));
    }

    private static List<Cidr> parse(List<String> cidrs, String what) {
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            if (cidr == null) {
                throw new NullPointerException(what + " cannot be null");
            }
            try {
                parsed.add(Cidr.parse(cidr));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " must be an IP address or CIDR range but was " + cidr);
            }
        }
        return List.copyOf(parsed);
    }

    /** Null when the sender may pass; otherwise why not, for the logs (addresses, never request content). */
    String refusal(WebhookRequest request) {
        String remote = request.remoteAddress().orElse(null);
        if (remote == null) {
            return "the sender's address is unknown, and the endpoint accepts listed sources only";
        }
        byte[] address = Cidr.literal(remote);
        if (address == null) {
            return "the sender's address " + remote + " is not an IP address";
        }
        String client = remote;
        if (within(proxies, address)) {
            List<String> hops = new ArrayList<>();
            for (String value : request.headers().all(FORWARDED_FOR)) {
                for (String hop : value.split(",")) {
                    hops.add(hop.strip());
                }
            }
            for (int i = hops.size() - 1; i >= 0; i--) {
                byte[] hop = Cidr.literal(hops.get(i));
                if (hop == null) {
                    return "X-Forwarded-For from trusted proxy " + remote + " names a hop that is not an IP address";
                }
                client = hops.get(i);
                address = hop;
                if (!within(proxies, hop)) {
                    break;
                }
            }
        }
        return within(allowed, address) ? null : "the sender's address " + client + " is not in the allowed sources";
    }

    private static boolean within(List<Cidr> ranges, byte[] address) {
        for (Cidr range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "SourceCheck[allowed=" + allowed + ", trustedProxies=" + proxies + "]";
    }
}
