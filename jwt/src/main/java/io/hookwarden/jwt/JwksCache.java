package io.hookwarden.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.hookwarden.Reason;
import io.hookwarden.WebhookVerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keys of one JWKS URL, fetched on first use and kept. They are fetched again when they are older than the TTL, or
 * when a token names a {@code kid} they do not have (a provider rotated its keys), but never more often than once per
 * minimum interval, however many tokens name unknown kids: a flood of forged kids costs at most one fetch per
 * interval. A fetch that fails keeps the keys already held, so an outage of the JWKS host does not stop deliveries
 * signed with known keys; with no keys held at all, the delivery is refused with {@link Reason#KEYS_UNAVAILABLE} (503,
 * retried by the provider).
 *
 * <p>Times come from the verifier's clock. Thread-safe: readers of fresh keys take no lock; one fetch runs at a time,
 * and a reader that needs only a refresh of stale keys uses them while another thread fetches.
 */
final class JwksCache {
    private static final System.Logger LOG = System.getLogger("io.hookwarden.jwt");
    /** A JWKS larger than this is refused: Google's is about 2 KB. */
    static final int MAX_BYTES = 256 * 1024;
    /** Keys beyond this many are refused with the document: a token without a kid is tried against each. */
    static final int MAX_KEYS = 64;

    private final URI url;
    private final Duration ttl;
    private final Duration minInterval;
    private final Duration timeout;
    private final HttpClient client;
    private final ReentrantLock fetching = new ReentrantLock();

    private volatile Snapshot snapshot;
    /** When the last fetch started; guarded by {@link #fetching}. */
    private Instant lastAttempt;

    private record Snapshot(List<VerifyingKey> keys, Instant fetchedAt) {
        boolean has(String kid) {
            for (VerifyingKey key : keys) {
                if (kid.equals(key.kid)) {
                    return true;
                }
            }
            return false;
        }
    }

    JwksCache(URI url, Duration ttl, Duration minInterval, Duration timeout) {
        this.url = url;
        this.ttl = ttl;
        this.minInterval = minInterval;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI url() {
        return url;
    }

    /**
     * The keys to try for a token naming {@code kid} (or none), fetching them first where they are missing, stale, or
     * lack that kid and the rate limit allows.
     *
     * @throws WebhookVerificationException KEYS_UNAVAILABLE when no keys could be had
     */
    List<VerifyingKey> keys(String kid, Clock clock) {
        Instant now = clock.instant();
        Snapshot s = snapshot;
        if (s != null && !stale(s, now) && (kid == null || s.has(kid))) {
            return s.keys;
        }
        boolean known = s != null && (kid == null || s.has(kid));
        if (known) {
            if (!fetching.tryLock()) {
                return s.keys; // stale but usable: another thread is refreshing them
            }
        } else {
            fetching.lock();
        }
        try {
            s = snapshot;
            boolean needed = s == null || stale(s, now) || (kid != null && !s.has(kid));
            if (needed && mayFetch(now)) {
                lastAttempt = now;
                Snapshot fetched = fetch(now, s);
                if (fetched != null) {
                    snapshot = fetched;
                    s = fetched;
                }
            }
        } finally {
            fetching.unlock();
        }
        if (s == null) {
            throw new WebhookVerificationException(
                    Reason.KEYS_UNAVAILABLE,
                    "the JWKS at " + url + " could not be fetched and no keys are cached; the next try is after "
                            + lastAttemptPlusInterval());
        }
        return s.keys;
    }

    private String lastAttemptPlusInterval() {
        fetching.lock();
        try {
            return lastAttempt == null ? "now" : lastAttempt.plus(minInterval).toString();
        } finally {
            fetching.unlock();
        }
    }

    private boolean stale(Snapshot s, Instant now) {
        return now.isAfter(s.fetchedAt.plus(ttl)) || now.isBefore(s.fetchedAt);
    }

    private boolean mayFetch(Instant now) {
        return lastAttempt == null || !now.isBefore(lastAttempt.plus(minInterval)) || now.isBefore(lastAttempt);
    }

    /** The keys at the URL now, or null (logged) when they cannot be had. */
    private Snapshot fetch(Instant now, Snapshot held) {
        String kept = held == null ? "no keys are cached" : "keeps its " + held.keys.size() + " cached key(s)";
        try {
            List<VerifyingKey> keys = parse(download());
            LOG.log(System.Logger.Level.DEBUG, () -> "fetched " + keys.size() + " key(s) from the JWKS at " + url);
            return new Snapshot(keys, now);
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the JWKS at " + url + " could not be fetched ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + "); " + kept);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(System.Logger.Level.WARNING, "fetching the JWKS at " + url + " was interrupted; " + kept);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "the JWKS at " + url + " " + e.getMessage() + "; " + kept);
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the JWKS at " + url + " could not be read (" + e.getClass().getName() + "); " + kept);
        }
        return null;
    }

    private String download() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("answered HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("answered more than " + MAX_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The usable signing keys of a JWKS document; keys for encryption or of other types are skipped. */
    static List<VerifyingKey> parse(String json) {
        List<JWK> jwks;
        try {
            jwks = JWKSet.parse(json).getKeys();
        } catch (java.text.ParseException | RuntimeException e) {
            throw new IllegalArgumentException("is not a JWK set");
        }
        if (jwks.size() > MAX_KEYS) {
            throw new IllegalArgumentException("holds " + jwks.size() + " keys, more than " + MAX_KEYS);
        }
        List<VerifyingKey> keys = new ArrayList<>();
        for (JWK jwk : jwks) {
            JWK published = jwk.isPrivate() ? jwk.toPublicJWK() : jwk; // null for an HMAC secret
            if (published == null) {
                continue;
            }
            try {
                String kid = published.getKeyID();
                keys.add(VerifyingKey.of(kid == null ? "jwks" : kid, published));
            } catch (RuntimeException notForSignatures) {
                // an encryption key or an OKP key: not one to verify with
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("holds no RSA or EC key to verify signatures with");
        }
        return List.copyOf(keys);
    }

    @Override
    public String toString() {
        return "JwksCache[" + url + "]";
    }
}
