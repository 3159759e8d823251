package io.hookwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Per-tenant keys: one endpoint that receives for many accounts, each with its own secret. Each delivery names its
 * tenant (a path segment, a header, a query parameter or a field of the body); the tenant's keys come from a function
 * you supply (the environment, a file, a secret manager), are decoded once and cached, and are read again after
 * {@link Builder#refreshAfter(Duration)} so a secret is rotated without a restart.
 *
 * <pre>{@code
 * TenantKeys tenants = TenantKeys.builder()
 *     .tenantFromPath("/hooks/{tenant}")
 *     .keys(tenant -> Optional.ofNullable(System.getenv("STRIPE_SECRET_" + tenant)).map(Keys::of))
 *     .build();
 * WebhookVerifier verifier = WebhookVerifier.builder().scheme(Schemes.stripe()).tenantKeys(tenants).build();
 * }</pre>
 *
 * <p>Taking the tenant from unauthenticated input is sound: the signature is still checked, with that tenant's keys
 * only. A tenant that is unknown, or whose name is not 1 to 128 of {@code A-Z a-z 0-9 . _ ~ -}, is refused exactly as
 * a wrong signature is ({@link Reason#SIGNATURE_MISMATCH}, 401), so the answer tells a sender nothing about which
 * tenants exist. When the function fails, or gives a key the scheme cannot use, the cached keys go on serving; with
 * none cached the delivery is refused with {@link Reason#KEYS_UNAVAILABLE} (503), so the provider retries once the
 * source is back. An unknown tenant is remembered for {@link Builder#unknownFor(Duration)} in a cache of its own,
 * bounded apart from the known tenants, so a flood of invented names neither evicts real tenants nor calls the
 * function more than once per name per period; and {@link Builder#maximumLoadsPerSecond(int)} bounds the calls over
 * all names. The matched key is named {@code <tenant>/<label>}, for example {@code acme/key-1}.
 *
 * <p>A {@code TenantKeys} serves one scheme: give it to one {@link WebhookVerifier}. Thread-safe; one call of the
 * function per tenant at a time.
 */
public final class TenantKeys {
    private static final Logger LOG = System.getLogger(TenantKeys.class.getName());
    /** The longest tenant name accepted. */
    public static final int MAX_TENANT_LENGTH = 128;

    private final Function<WebhookRequest, String> tenantOf;
    private final String source;
    private final Function<String, Optional<Keys>> keys;
    private final Duration refreshAfter;
    private final Duration unknownFor;
    private final Duration loadTimeout;
    private final int maximumTenants;
    private final int maximumUnknown;
    private final int maximumLoadsPerSecond;

    private final ConcurrentHashMap<String, Cached> known = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> unknown = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Cached>> loading = new ConcurrentHashMap<>();
    private final Object rate = new Object();
    private long rateSecond;
    private int rateCount;
    private volatile Scheme scheme;

    /** A tenant's decoded keys and when they are read again. */
    /** A tenant's keys, when to read them again, and when a delivery last used them (what eviction goes by). */
    private static final class Cached {
        final List<KeyMaterial> keys;
        final long refreshAt;
        /** Written by every delivery without a lock: a stale value only makes eviction a little less exact. */
        volatile long used;

        Cached(List<KeyMaterial> keys, long refreshAt, long used) {
            this.keys = keys;
            this.refreshAt = refreshAt;
            this.used = used;
        }
    }

    private TenantKeys(Builder b) {
        this.tenantOf = b.tenantOf;
        this.source = b.source;
        this.keys = b.keys;
        this.refreshAfter = b.refreshAfter;
        this.unknownFor = b.unknownFor;
        this.loadTimeout = b.loadTimeout;
        this.maximumTenants = b.maximumTenants;
        this.maximumUnknown = b.maximumUnknown;
        this.maximumLoadsPerSecond = b.maximumLoadsPerSecond;
    }

    /** A builder; where the tenant is named and the function that gives its keys are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Forgets a tenant's cached keys, and that it was unknown: its next delivery reads them again. Call it when a secret
     * was rotated and the old one must stop working now rather than after {@link Builder#refreshAfter(Duration)}.
     *
     * @param tenant the tenant's name
     */
    public void invalidate(String tenant) {
        known.remove(tenant);
        unknown.remove(tenant);
    }

    /** Forgets every cached key and every unknown tenant. */
    public void invalidateAll() {
        known.clear();
        unknown.clear();
    }

    /** The number of tenants whose keys are cached. */
    public int cachedTenants() {
        return known.size();
    }

    /** Binds to the verifier's scheme, which decodes the keys; once. */
    synchronized void bind(Scheme scheme) {
        if (this.scheme != null && this.scheme != scheme) {
            throw new IllegalStateException("these TenantKeys already serve scheme " + this.scheme.id()
                    + ": build one TenantKeys per verifier");
        }
        this.scheme = scheme;
    }

    /**
     * The keys of the tenant the request names.
     *
     * @throws WebhookVerificationException {@link Reason#SIGNATURE_MISMATCH} for an unknown or unnamed tenant, {@link
     *     Reason#KEYS_UNAVAILABLE} when its keys cannot be had
     */
    List<KeyMaterial> keysFor(WebhookRequest request, Clock clock) {
        String tenant = tenantOf.apply(request);
        if (!validName(tenant)) {
            throw new WebhookVerificationException(
                    Reason.SIGNATURE_MISMATCH, "the delivery names no usable tenant (" + source + ")");
        }
        long now = clock.millis();
        Cached cached = known.get(tenant);
        if (cached != null && now < cached.refreshAt) {
            if (cached.used != now) {
                cached.used = now;
            }
            return cached.keys;
        }
        Long unknownUntil = unknown.get(tenant);
        if (cached == null && unknownUntil != null && now < unknownUntil) {
            throw unknownTenant(tenant);
        }
        return load(tenant, cached, now);
    }

    /** The key with this label among the cached keys of the request's tenant. */
    KeyMaterial key(String label) {
        int slash = label.indexOf('/');
        Cached cached = slash < 0 ? null : known.get(label.substring(0, slash));
        if (cached != null) {
            for (KeyMaterial key : cached.keys) {
                if (key.label.equals(label)) {
                    return key;
                }
            }
        }
        throw new IllegalStateException("no cached key labelled " + label);
    }

    private List<KeyMaterial> load(String tenant, Cached stale, long now) {
        CompletableFuture<Cached> mine = new CompletableFuture<>();
        CompletableFuture<Cached> running = loading.putIfAbsent(tenant, mine);
        if (running != null) {
            if (stale != null) {
                return stale.keys; // another thread reads them again: serve the ones held meanwhile
            }
            return await(tenant, running);
        }
        try {
            Cached fresh = read(tenant, now);
            mine.complete(fresh);
            if (fresh == null) {
                known.remove(tenant);
                remember(unknown, tenant, now + unknownFor.toMillis(), maximumUnknown, Long::longValue);
                throw unknownTenant(tenant);
            }
            unknown.remove(tenant);
            remember(known, tenant, fresh, maximumTenants, c -> c.used);
            return fresh.keys;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            if (e instanceof WebhookVerificationException refused && refused.reason() == Reason.SIGNATURE_MISMATCH) {
                throw refused;
            }
            if (stale != null) {
                // the source failed: keep the keys held, and try again after a tenth of the refresh period
                known.put(tenant, new Cached(stale.keys, now + Math.max(1_000, refreshAfter.toMillis() / 10), now));
                LOG.log(
                        Level.WARNING,
                        "keys of tenant " + tenant + " could not be read again (" + describe(e)
                                + "); the cached ones go on serving");
                return stale.keys;
            }
            if (e instanceof WebhookVerificationException refused) {
                throw refused;
            }
            LOG.log(Level.WARNING, "keys of tenant " + tenant + " could not be read: " + describe(e));
            throw unavailable(tenant);
        } finally {
            loading.remove(tenant, mine);
        }
    }

    /** Calls the function and decodes what it gives; null for an unknown tenant. */
    private Cached read(String tenant, long now) {
        if (!admitLoad(now)) {
            throw new WebhookVerificationException(
                    Reason.KEYS_UNAVAILABLE,
                    "keys of tenant " + tenant + " were not read: more than " + maximumLoadsPerSecond
                            + " reads this second");
        }
        Optional<Keys> given;
        try {
            given = keys.apply(tenant);
        } catch (RuntimeException e) {
            // the source's own message may quote what it read: only its type is told
            throw new KeySourceFailed(e.getClass().getName());
        }
        if (given == null || given.isEmpty()) {
            return null;
        }
        Keys k = given.get();
        List<KeyMaterial> material = new ArrayList<>(k.size());
        for (int i = 0; i < k.size(); i++) {
            String label = tenant + "/" + k.label(i);
            String secret = k.secret(i);
            // the scheme's messages name the label, never the secret
            material.add(Scheme.refusingAs(
                    label,
                    scheme,
                    () -> k.weakSecretsAllowed()
                            ? Scheme.allowingWeakSecrets(() -> scheme.verificationKey(label, secret))
                            : scheme.verificationKey(label, secret)));
        }
        return new Cached(List.copyOf(material), now + refreshAfter.toMillis(), now);
    }

    private List<KeyMaterial> await(String tenant, CompletableFuture<Cached> running) {
        try {
            Cached loaded = running.get(loadTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (loaded == null) {
                throw unknownTenant(tenant);
            }
            return loaded.keys;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebhookVerificationException refused) {
                throw new WebhookVerificationException(refused.reason(), refused.getMessage());
            }
            throw unavailable(tenant);
        } catch (TimeoutException e) {
            throw unavailable(tenant);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(tenant);
        }
    }

    private boolean admitLoad(long now) {
        long second = now / 1_000;
        synchronized (rate) {
            if (second != rateSecond) {
                rateSecond = second;
                rateCount = 0;
            }
            return ++rateCount <= maximumLoadsPerSecond;
        }
    }

    /**
     * Puts an entry, first making room when the map is full: the sixteenth of the entries that are oldest by {@code age}
     * go (the tenants no delivery used for the longest, the unknown names that expire first), in one pass, so a busy
     * tenant is never evicted to make room for a new one and the sort is paid once per sixteenth of the bound.
     */
    private static <V> void remember(
            ConcurrentHashMap<String, V> map, String tenant, V value, int maximum, ToLongFunction<V> age) {
        if (map.size() >= maximum && !map.containsKey(tenant)) {
            List<Map.Entry<String, V>> entries = new ArrayList<>(map.entrySet());
            entries.sort(Comparator.comparingLong(e -> age.applyAsLong(e.getValue())));
            int drop = Math.min(entries.size(), Math.max(1, maximum / 16));
            for (int i = 0; i < drop; i++) {
                map.remove(entries.get(i).getKey(), entries.get(i).getValue());
            }
        }
        map.put(tenant, value);
    }

    /**
     * What is told of a failed read: the source's exception type ({@link KeySourceFailed}), or the scheme's refusal
     * of a key, which names its label and never the key.
     */
    private static String describe(RuntimeException e) {
        return e instanceof KeySourceFailed failed ? "the key source threw " + failed.getMessage() : e.getMessage();
    }

    /** The key function threw; carries only its exception's type. */
    private static final class KeySourceFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KeySourceFailed(String type) {
            super(type, null, false, false);
        }
    }

    private static WebhookVerificationException unknownTenant(String tenant) {
        return new WebhookVerificationException(Reason.SIGNATURE_MISMATCH, "tenant " + tenant + " has no keys");
    }

    private static WebhookVerificationException unavailable(String tenant) {
        return new WebhookVerificationException(
                Reason.KEYS_UNAVAILABLE, "keys of tenant " + tenant + " cannot be read now");
    }

    static boolean validName(String tenant) {
        if (tenant == null || tenant.isEmpty() || tenant.length() > MAX_TENANT_LENGTH) {
            return false;
        }
        for (int i = 0; i < tenant.length(); i++) {
            char c = tenant.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return !tenant.equals(".") && !tenant.equals("..");
    }

    @Override
    public String toString() {
        return "TenantKeys[" + source + ", cached=" + known.size() + "]";
    }

    /** Configures {@link TenantKeys}. Each option may be set once. Not thread-safe. */
    public static final class Builder {
        private final BuilderOptions options = new BuilderOptions();
        private Function<WebhookRequest, String> tenantOf;
        private String source;
        private Function<String, Optional<Keys>> keys;
        private Duration refreshAfter = Duration.ofMinutes(5);
        private Duration unknownFor = Duration.ofSeconds(30);
        private Duration loadTimeout = Duration.ofSeconds(5);
        private int maximumTenants = 10_000;
        private int maximumUnknown = 1_000;
        private int maximumLoadsPerSecond = 100;

        private Builder() {}

        /**
         * The tenant is a segment of the request's path, for example {@code /hooks/{tenant}} or {@code
         * /t/{tenant}/stripe}: every other segment must match as written, and the path must have exactly as many.
         *
         * @param template a path with one {@code {tenant}} segment
         * @return this builder
         * @throws IllegalArgumentException if the template has no {@code {tenant}} segment, or more than one
         */
        public Builder tenantFromPath(String template) {
            Objects.requireNonNull(template, "template cannot be null");
            String[] parts = segments(template);
            int at = -1;
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].equals("{tenant}")) {
                    if (at >= 0) {
                        throw new IllegalArgumentException("path template " + template + " has two {tenant} segments");
                    }
                    at = i;
                }
            }
            if (at < 0) {
                throw new IllegalArgumentException("path template " + template + " has no {tenant} segment");
            }
            int index = at;
            return from("path " + template, request -> {
                String path = request.url().map(TenantKeys::pathOf).orElse(null);
                if (path == null) {
                    return null;
                }
                String[] got = segments(path);
                if (got.length != parts.length) {
                    return null;
                }
                for (int i = 0; i < parts.length; i++) {
                    if (i != index && !parts[i].equals(got[i])) {
                        return null;
                    }
                }
                return got[index];
            });
        }

        /**
         * The tenant is a header's value.
         *
         * @param name the header, for example {@code X-Account-Id}
         * @return this builder
         */
        public Builder tenantFromHeader(String name) {
            Objects.requireNonNull(name, "name cannot be null");
            return from(
                    "header " + name, request -> request.headers().first(name).orElse(null));
        }

        /**
         * The tenant is a query parameter of the request's URL.
         *
         * @param name the parameter, for example {@code tenant}
         * @return this builder
         */
        public Builder tenantFromQuery(String name) {
            Objects.requireNonNull(name, "name cannot be null");
            return from(
                    "query parameter " + name,
                    request -> FormBody.first(
                            Objects.requireNonNullElse(
                                    FormBody.query(request.url().orElse(null)), ""),
                            name));
        }

        /**
         * The tenant is a text or integer field of the JSON body, found by a JSON pointer: the body is parsed once
         * more for it, within the core's bounds on depth and size.
         *
         * @param pointer for example {@code /account_id}
         * @return this builder
         * @throws IllegalArgumentException if the pointer does not start with {@code /}
         */
        public Builder tenantFromBody(String pointer) {
            Objects.requireNonNull(pointer, "pointer cannot be null");
            if (!pointer.startsWith("/")) {
                throw new IllegalArgumentException("a JSON pointer starts with /, but was " + pointer);
            }
            return from("body " + pointer, request -> {
                JsonNode root = BoundedJson.parse(request.bodyBytes());
                JsonNode node = root == null ? null : root.at(pointer);
                return node != null && (node.isTextual() || node.isIntegralNumber()) ? node.asText() : null;
            });
        }

        private Builder from(String description, Function<WebhookRequest, String> tenantOf) {
            options.once("tenantFrom");
            this.source = description;
            this.tenantOf = tenantOf;
            return this;
        }

        /**
         * Where a tenant's keys come from: called with a tenant's name the first time it is seen and after every
         * refresh period, one call per tenant at a time. Give empty for a tenant that does not exist; throw when the
         * source cannot answer (then the cached keys go on serving, or the delivery gets a 503). Its exceptions'
         * messages are not logged, only their types.
         *
         * @param keys for example {@code tenant -> Optional.ofNullable(secrets.get(tenant)).map(Keys::of)}
         * @return this builder
         */
        public Builder keys(Function<String, Optional<Keys>> keys) {
            options.once("keys");
            this.keys = Objects.requireNonNull(keys, "keys cannot be null");
            return this;
        }

        /**
         * How long a tenant's keys are used before they are read again. Default 5 minutes.
         *
         * @param period a positive duration
         * @return this builder
         */
        public Builder refreshAfter(Duration period) {
            options.once("refreshAfter");
            this.refreshAfter = BuilderOptions.positive(period, "refreshAfter");
            return this;
        }

        /**
         * How long a tenant the function did not know stays unknown before it is asked again. Default 30 seconds.
         *
         * @param period a positive duration
         * @return this builder
         */
        public Builder unknownFor(Duration period) {
            options.once("unknownFor");
            this.unknownFor = BuilderOptions.positive(period, "unknownFor");
            return this;
        }

        /**
         * How long a delivery waits for another thread that is reading its tenant's keys. Default 5 seconds.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder loadTimeout(Duration timeout) {
            options.once("loadTimeout");
            this.loadTimeout = BuilderOptions.positive(timeout, "loadTimeout");
            return this;
        }

        /**
         * The most tenants whose keys are cached. Default 10,000. When it is full, the tenants no delivery used for the
         * longest make room (a sixteenth of the bound at a time), so a busy tenant keeps its keys however many others
         * come and go.
         *
         * @param tenants a positive number
         * @return this builder
         */
        public Builder maximumTenants(int tenants) {
            options.once("maximumTenants");
            this.maximumTenants = positive(tenants, "maximumTenants");
            return this;
        }

        /**
         * The most unknown tenants remembered. Default 1,000.
         *
         * @param tenants a positive number
         * @return this builder
         */
        public Builder maximumUnknown(int tenants) {
            options.once("maximumUnknown");
            this.maximumUnknown = positive(tenants, "maximumUnknown");
            return this;
        }

        /**
         * The most calls of the key function in one second, over all tenants; a delivery whose tenant would need one
         * more is refused with {@link Reason#KEYS_UNAVAILABLE} (the provider retries). Default 100.
         *
         * @param loads a positive number
         * @return this builder
         */
        public Builder maximumLoadsPerSecond(int loads) {
            options.once("maximumLoadsPerSecond");
            this.maximumLoadsPerSecond = positive(loads, "maximumLoadsPerSecond");
            return this;
        }

        private static int positive(int value, String option) {
            if (value <= 0) {
                throw new IllegalArgumentException(option + " must be positive but was " + value);
            }
            return value;
        }

        /**
         * The tenant keys.
         *
         * @throws MissingOptionException if where the tenant is named, or the key function, is missing
         */
        public TenantKeys build() {
            if (tenantOf == null) {
                throw new MissingOptionException(
                        "tenantFrom", "where the tenant is named must be set: tenantFromPath, Header, Query or Body");
            }
            if (keys == null) {
                throw new MissingOptionException("keys", "keys must be set: the function that gives a tenant's keys");
            }
            return new TenantKeys(this);
        }
    }

    private static String pathOf(String url) {
        try {
            return URI.create(url).getRawPath();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The path's segments as written: a trailing slash is one more (empty) segment, so it matches no template. */
    private static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
