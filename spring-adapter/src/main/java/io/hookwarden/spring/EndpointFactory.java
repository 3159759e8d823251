package io.hookwarden.spring;

import io.hookwarden.DedupeKey;
import io.hookwarden.DeliveryListener;
import io.hookwarden.EventAttribute;
import io.hookwarden.InvalidSecretException;
import io.hookwarden.Keys;
import io.hookwarden.MissingOptionException;
import io.hookwarden.PayloadSchema;
import io.hookwarden.SchemaRegistry;
import io.hookwarden.Scheme;
import io.hookwarden.Schemes;
import io.hookwarden.SnsScheme;
import io.hookwarden.TenantKeys;
import io.hookwarden.TokenScheme;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.DedupeStore;
import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.util.ClassUtils;

/**
 * Builds {@link WebhookEndpoints} from {@code hookwarden.endpoints.*} and the customizer beans. Every refusal is a
 * {@link WebhookConfigurationException} naming the property (such as {@code hookwarden.endpoints.stripe.secrets[0]}),
 * never a secret's value.
 */
final class EndpointFactory {
    private static final System.Logger LOG = System.getLogger(EndpointFactory.class.getName());
    private static final String TOKEN = "token";
    private static final String SNS = "sns";
    private static final Set<String> JWT_SCHEMES = Set.of("jwt", "google-pubsub");
    private static final String SECRET_ACTION =
            "Set it to the endpoint's secret exactly as the provider's dashboard shows it, from the environment: ";
    private static final String PLACEHOLDER_ACTION = "Set the environment variable or property that the placeholder"
            + " names where the application runs: Spring Boot binds a placeholder it cannot resolve as its own text,"
            + " which is no secret.";

    private EndpointFactory() {}

    /**
     * @param classLoader the application's, where an optional module such as hookwarden-jwt is looked for; null for
     *     this class's
     * @param inboxes the application's {@link Inbox} beans by name, for endpoints with {@code inbox.*}
     * @param httpClients the application's {@link HttpClient} beans by name, for {@code sns.http-client}
     * @param tenantSecrets the application's {@link TenantSecrets} beans by name, for {@code tenants.bean}
     * @param listener observes every endpoint's deliveries ({@link WebhookReceiver.Builder#listener}); null for none
     * @param clock the application's {@link java.time.Clock} bean, every verifier's clock unless a customizer set one;
     *     null for the system clock
     */
    static WebhookEndpoints build(
            ClassLoader classLoader,
            HookwardenProperties properties,
            DedupeStore store,
            Map<String, Inbox> inboxes,
            Map<String, HttpClient> httpClients,
            Map<String, TenantSecrets> tenantSecrets,
            List<WebhookEndpointCustomizer> customizers,
            DeliveryListener listener,
            java.time.Clock clock) {
        Map<String, HookwardenProperties.Endpoint> configured = properties.getEndpoints();
        Set<String> unknown = new TreeSet<>();
        for (WebhookEndpointCustomizer c : customizers) {
            if (!configured.containsKey(c.name())) {
                unknown.add(c.name());
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new WebhookConfigurationException(
                    "hookwarden.endpoints." + first,
                    "WebhookEndpointCustomizer beans name endpoints " + unknown
                            + " that have no properties; known endpoints: " + configured.keySet(),
                    "Configure hookwarden.endpoints." + first
                            + ".scheme and .secrets[0], or fix the customizer's name.",
                    null);
        }
        WebhookEndpoints.Builder endpoints = WebhookEndpoints.builder();
        configured.forEach((name, endpoint) -> {
            endpoints.endpoint(
                    name,
                    receiver(
                            classLoader,
                            name,
                            endpoint,
                            store,
                            inboxes,
                            httpClients,
                            tenantSecrets,
                            customizers,
                            listener,
                            clock));
            if (endpoint.getPaths() != null && !endpoint.getPaths().isEmpty()) {
                try {
                    endpoints.paths(name, endpoint.getPaths());
                } catch (IllegalArgumentException e) {
                    throw new WebhookConfigurationException(
                            prefix(name) + "paths", e.getMessage(), "Give path patterns such as /webhooks/" + name, e);
                }
            }
        });
        return endpoints.build();
    }

    private static String prefix(String name) {
        return "hookwarden.endpoints." + name + ".";
    }

    private static WebhookReceiver receiver(
            ClassLoader classLoader,
            String name,
            HookwardenProperties.Endpoint p,
            DedupeStore store,
            Map<String, Inbox> inboxes,
            Map<String, HttpClient> httpClients,
            Map<String, TenantSecrets> tenantSecrets,
            List<WebhookEndpointCustomizer> customizers,
            DeliveryListener listener,
            java.time.Clock clock) {
        String prefix = prefix(name);
        WebhookVerifier.Builder verifier = WebhookVerifier.builder();
        Scheme scheme = null;
        boolean jwtScheme = p.getScheme() != null && JWT_SCHEMES.contains(p.getScheme());
        if (p.getScheme() != null && !jwtScheme) {
            try {
                scheme = Schemes.byId(p.getScheme());
            } catch (IllegalArgumentException e) {
                List<String> known = schemeIds();
                throw new WebhookConfigurationException(
                        prefix + "scheme",
                        "unknown scheme " + p.getScheme() + "; known schemes: " + known,
                        "Use one of the scheme ids " + known
                                + " (jwt and google-pubsub with io.hookwarden:hookwarden-jwt" + " on the class path).",
                        e);
            }
        }
        HookwardenProperties.Token token = p.getToken();
        List<String> tokenOptions = token == null ? List.of() : token.set();
        if (!tokenOptions.isEmpty()) {
            if (!TOKEN.equals(p.getScheme())) {
                throw new WebhookConfigurationException(
                        prefix + "token." + tokenOptions.get(0),
                        "is set, but " + prefix + "scheme is "
                                + (p.getScheme() == null ? "not set" : p.getScheme())
                                + ": the token.* options configure the scheme token only",
                        "Set " + prefix + "scheme=token, or remove " + prefix + "token.*.",
                        null);
            }
            scheme = tokenScheme(prefix + "token.", token);
        }
        HookwardenProperties.Jwt jwt = p.getJwt() == null ? new HookwardenProperties.Jwt() : p.getJwt();
        List<String> jwtOptions = jwt.set();
        if (!jwtOptions.isEmpty() && !jwtScheme) {
            throw new WebhookConfigurationException(
                    prefix + "jwt." + jwtOptions.get(0),
                    "is set, but " + prefix + "scheme is " + (p.getScheme() == null ? "not set" : p.getScheme())
                            + ": the jwt.* options configure the schemes jwt and google-pubsub only",
                    "Set " + prefix + "scheme=jwt or google-pubsub, or remove " + prefix + "jwt.*.",
                    null);
        }
        if (jwtScheme) {
            if (!ClassUtils.isPresent(
                    JwtSchemeFactory.CLASS,
                    classLoader == null ? EndpointFactory.class.getClassLoader() : classLoader)) {
                throw new WebhookConfigurationException(
                        prefix + "scheme",
                        "is " + p.getScheme() + ", but hookwarden-jwt is not on the class path",
                        "Add the dependency io.hookwarden:hookwarden-jwt (its version is in hookwarden-bom).",
                        null);
            }
            scheme = JwtSchemeFactory.scheme(prefix + "jwt.", p.getScheme(), jwt);
        }
        // a JWT scheme with a JWKS URL (google-pubsub has Google's) fetches its keys: the endpoint has no secrets
        boolean fetchesKeys = jwtScheme && (jwt.getJwksUrl() != null || "google-pubsub".equals(p.getScheme()));
        HookwardenProperties.Sns sns = p.getSns();
        List<String> snsOptions = sns == null ? List.of() : sns.set();
        if (!snsOptions.isEmpty() && !SNS.equals(p.getScheme())) {
            throw new WebhookConfigurationException(
                    prefix + "sns." + snsOptions.get(0),
                    "is set, but " + prefix + "scheme is " + (p.getScheme() == null ? "not set" : p.getScheme())
                            + ": the sns.* options configure the scheme sns only",
                    "Set " + prefix + "scheme=sns, or remove " + prefix + "sns.*.",
                    null);
        }
        if (SNS.equals(p.getScheme()) && sns != null) {
            scheme = snsScheme(prefix + "sns.", sns, httpClients);
        }
        if (scheme != null) {
            verifier.scheme(scheme);
        }
        List<String> secrets = p.getSecrets() == null ? List.of() : p.getSecrets();
        String variable = name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_WEBHOOK_SECRET";
        String secretAction = SECRET_ACTION + prefix + "secrets[0]=${" + variable + "}, with " + variable
                + " set where the application runs (left unset, start-up fails).";
        HookwardenProperties.Tenants tenants = p.getTenants();
        List<String> tenantOptions = tenants == null ? List.of() : tenants.set();
        if (!tenantOptions.isEmpty()) {
            if (!secrets.isEmpty()) {
                throw new WebhookConfigurationException(
                        prefix + "secrets[0]",
                        "conflicts with " + prefix + "tenants." + tenantOptions.get(0)
                                + ": with per-tenant keys, each tenant's secrets are its own",
                        "Give the secrets under " + prefix + "tenants.secrets.<tenant>[0], or remove " + prefix
                                + "tenants.*.",
                        null);
            }
            if (SNS.equals(p.getScheme())) {
                throw new WebhookConfigurationException(
                        prefix + "tenants." + tenantOptions.get(0),
                        "is set, but scheme sns takes no keys: each message is verified with its certificate",
                        "Remove " + prefix + "tenants.*.",
                        null);
            }
            if (fetchesKeys) {
                throw new WebhookConfigurationException(
                        prefix + "tenants." + tenantOptions.get(0),
                        "is set, but scheme " + p.getScheme() + " fetches its keys from its JWKS URL",
                        "Remove " + prefix + "tenants.*, or " + prefix + "jwt.jwks-url to give keys per tenant.",
                        null);
            }
            verifier.tenantKeys(tenantKeys(prefix + "tenants.", tenants, scheme, tenantSecrets));
        } else if (fetchesKeys) {
            if (!secrets.isEmpty()) {
                throw new WebhookConfigurationException(
                        prefix + "secrets[0]",
                        "is set, but scheme " + p.getScheme() + " fetches its keys from "
                                + (jwt.getJwksUrl() != null ? prefix + "jwt.jwks-url" : "Google's JWKS URL"),
                        "Remove " + prefix + "secrets, or remove " + prefix
                                + "jwt.jwks-url and give the public keys (JWK or PEM) as secrets.",
                        null);
            }
        } else if (SNS.equals(p.getScheme())) {
            // SNS signs with the certificate its message names: a secret here would be a mistake, not a key
            if (!secrets.isEmpty()) {
                throw new WebhookConfigurationException(
                        prefix + "secrets[0]",
                        "is set, but scheme sns takes no secrets: each message is verified with the certificate at"
                                + " its SigningCertURL",
                        "Remove " + prefix + "secrets; restrict what is accepted with " + prefix + "sns.topics[0].",
                        null);
            }
        } else {
            if (secrets.isEmpty()) {
                throw new WebhookConfigurationException(
                        prefix + "secrets[0]", "is missing or empty", secretAction, null);
            }
            // Each key is labelled with its property's own suffix, so a refused key names its property by
            // construction.
            Keys.Builder keys = Keys.builder();
            for (int i = 0; i < secrets.size(); i++) {
                String label = "secrets[" + i + "]";
                String secret = secrets.get(i);
                if (secret == null || secret.isEmpty()) {
                    throw new WebhookConfigurationException(prefix + label, "is empty", secretAction, null);
                }
                keys.add(label, secret);
            }
            verifier.keys(keys.build());
        }
        if (p.getMaxAge() != null) {
            apply(prefix + "max-age", () -> verifier.maxAge(p.getMaxAge()));
        }
        if (p.getFutureSkew() != null) {
            apply(prefix + "future-skew", () -> verifier.futureSkew(p.getFutureSkew()));
        }
        if (p.getMaxBody() != null) {
            apply(
                    prefix + "max-body",
                    () -> verifier.maxBodyBytes(p.getMaxBody().toBytes()));
        }
        for (WebhookEndpointCustomizer c : customizers) {
            if (c.name().equals(name)) {
                apply(prefix + "*", () -> c.customize(verifier));
            }
        }
        if (clock != null) {
            try {
                verifier.clock(clock);
            } catch (IllegalStateException customizerSetOne) {
                // a customizer's clock for this endpoint wins over the application's Clock bean
            }
        }
        WebhookVerifier built;
        try {
            built = verifier.build();
        } catch (InvalidSecretException e) {
            // The key's label is its property's suffix (secrets[i]), whether the scheme came from properties or code.
            throw new WebhookConfigurationException(
                    prefix + e.label(),
                    e.getMessage(),
                    unresolvedPlaceholder(secretLabelled(secrets, e.label())) ? PLACEHOLDER_ACTION : secretAction,
                    e);
        } catch (MissingOptionException e) {
            throw new WebhookConfigurationException(
                    prefix + ("keys".equals(e.option()) ? "secrets[0]" : e.option()),
                    e.getMessage(),
                    "Set " + prefix + "scheme to one of " + Schemes.ids()
                            + ", or give the scheme in a WebhookEndpointCustomizer.",
                    e);
        } catch (IllegalStateException e) {
            throw new WebhookConfigurationException(
                    prefix + "*",
                    e.getMessage(),
                    "A WebhookEndpointCustomizer sets options that conflict with each other or with a property: set"
                            + " each option once, in properties or in code.",
                    e);
        }
        if ("stripe".equals(built.scheme().id())) {
            warnOfStripeSecretsWithoutPrefix(prefix, secrets);
        }
        WebhookReceiver.Builder receiver = WebhookReceiver.builder().name(name).verifier(built);
        inbox(prefix, p.getInbox(), inboxes, receiver);
        if (listener != null) {
            receiver.listener(listener);
        }
        HookwardenProperties.EndpointDedupe d = p.getDedupe();
        if (p.getRetryAfter() != null) {
            apply(prefix + "retry-after", () -> receiver.retryAfter(p.getRetryAfter()));
        }
        if (d != null) {
            if (d.getLease() != null) {
                apply(prefix + "dedupe.lease", () -> receiver.lease(d.getLease()));
            }
            if (d.getRetention() != null) {
                apply(prefix + "dedupe.retention", () -> receiver.retention(d.getRetention()));
            }
            if (d.getKeyHeader() != null && d.getKeyPointer() != null) {
                throw new WebhookConfigurationException(
                        prefix + "dedupe.key-pointer",
                        "conflicts with " + prefix + "dedupe.key-header",
                        "Give one of them.",
                        null);
            }
            if (d.getKeyHeader() != null) {
                apply(prefix + "dedupe.key-header", () -> receiver.dedupeKey(DedupeKey.header(d.getKeyHeader())));
            }
            if (d.getKeyPointer() != null) {
                apply(
                        prefix + "dedupe.key-pointer",
                        () -> receiver.dedupeKey(DedupeKey.jsonPointer(d.getKeyPointer())));
            }
        }
        schemas(prefix, name, p.getSchemas(), receiver);
        for (WebhookEndpointCustomizer c : customizers) {
            if (c.name().equals(name)) {
                apply(prefix + "*", () -> c.customize(receiver));
            }
        }
        WebhookReceiver probe = build(prefix, receiver);
        if (probe.inbox().isPresent()) {
            return probe; // the inbox's write is the dedupe: no store
        }
        try {
            receiver.dedupeStore(store);
        } catch (IllegalStateException customizerSetOne) {
            return probe;
        }
        return build(prefix, receiver);
    }

    /**
     * {@code token.*}: the scheme {@code token} as the properties configure it, each builder call under its own
     * property, so a refused value is named by construction.
     */
    private static Scheme tokenScheme(String prefix, HookwardenProperties.Token t) {
        List<String> places = new ArrayList<>();
        if (t.getHeader() != null) {
            places.add("header");
        }
        if (Boolean.TRUE.equals(t.getBearer())) {
            places.add("bearer");
        }
        if (t.getBasic() != null) {
            places.add("basic");
        }
        if (t.getQuery() != null) {
            places.add("query");
        }
        if (places.size() > 1) {
            throw new WebhookConfigurationException(
                    prefix + places.get(1),
                    "conflicts with " + prefix + places.get(0) + ": the token travels in one place",
                    "Give one of " + prefix + "header, .bearer, .basic or .query.",
                    null);
        }
        if (Boolean.FALSE.equals(t.getBearer()) && places.isEmpty()) {
            throw new WebhookConfigurationException(
                    prefix + "bearer",
                    "is false, but no other place for the token is given",
                    "Give " + prefix + "header, .basic or .query, or remove " + prefix
                            + "bearer (Bearer is the default).",
                    null);
        }
        TokenScheme.Builder scheme = Schemes.token();
        if (t.getSchemeId() != null) {
            apply(prefix + "scheme-id", () -> scheme.id(t.getSchemeId()));
        }
        if (t.getHeader() != null) {
            apply(
                    prefix + "header",
                    "Give the header's name, such as X-Webhook-Token; for Authorization, use " + prefix
                            + "bearer=true or " + prefix + "basic.",
                    () -> scheme.header(t.getHeader()));
        }
        if (Boolean.TRUE.equals(t.getBearer())) {
            scheme.bearer();
        }
        if (t.getBasic() != null) {
            switch (t.getBasic()) {
                case CREDENTIALS -> scheme.basic();
                case USER -> scheme.basicUser();
                case PASSWORD -> scheme.basicPassword();
            }
        }
        if (t.getQuery() != null) {
            apply(prefix + "query", () -> scheme.query(t.getQuery()));
        }
        if (t.getMinBytes() != null) {
            apply(prefix + "min-bytes", () -> scheme.minSecretBytes(t.getMinBytes()));
        }
        if (t.getIdHeader() != null) {
            apply(prefix + "id-header", () -> scheme.idHeader(t.getIdHeader()));
        }
        if (t.getIdPointer() != null) {
            apply(prefix + "id-pointer", () -> scheme.idPointer(t.getIdPointer()));
        }
        if (t.getEventTypeHeader() != null) {
            apply(prefix + "event-type-header", () -> scheme.eventTypeHeader(t.getEventTypeHeader()));
        }
        List<String> pointers = t.getEventTypePointers();
        if (pointers != null && !pointers.isEmpty()) {
            // each pointer on a builder of its own first, so a refused one is named by its index
            for (int i = 0; i < pointers.size(); i++) {
                String pointer = pointers.get(i);
                apply(prefix + "event-type-pointers[" + i + "]", () -> Schemes.token()
                        .eventTypePointers(pointer));
            }
            scheme.eventTypePointers(pointers.toArray(String[]::new));
        }
        return scheme.build();
    }

    /** Every scheme id an endpoint may name: the core's, then those of hookwarden-jwt. */
    static List<String> schemeIds() {
        List<String> known = new ArrayList<>(Schemes.ids());
        known.add("jwt");
        known.add("google-pubsub");
        return List.copyOf(known);
    }

    /** A certificate name pattern, or null when not set; a blank or invalid one stops start-up naming its property. */
    private static java.util.regex.Pattern certificateName(String property, String regex) {
        if (regex == null) {
            return null;
        }
        String action = "Give a regular expression found in the certificate's RFC 2253 name, such as"
                + " CN=sns\\.amazonaws\\.com or O=Example Corp.";
        if (regex.isBlank()) {
            throw new WebhookConfigurationException(
                    property, "is blank: it would accept any certificate", action, null);
        }
        try {
            return java.util.regex.Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new WebhookConfigurationException(
                    property, "is not a regular expression: " + e.getDescription(), action, e);
        }
    }

    /**
     * {@code sns.*}: the scheme {@code sns} as the properties configure it, each call under its own property (each
     * topic and host pattern first on a scheme of its own, so a refused one is named by its index).
     */
    private static Scheme snsScheme(String prefix, HookwardenProperties.Sns p, Map<String, HttpClient> httpClients) {
        SnsScheme[] scheme = {Schemes.sns()};
        List<String> topics = p.getTopics();
        if (topics != null && !topics.isEmpty()) {
            for (int i = 0; i < topics.size(); i++) {
                String topic = topics.get(i);
                apply(
                        prefix + "topics[" + i + "]",
                        "Give a topic ARN such as arn:aws:sns:us-east-1:123456789012:orders.",
                        () -> Schemes.sns().topics(topic));
            }
            scheme[0] = scheme[0].topics(topics.toArray(String[]::new));
        }
        List<String> hosts = p.getCertificateHosts();
        if (hosts != null && !hosts.isEmpty()) {
            for (int i = 0; i < hosts.size(); i++) {
                String host = hosts.get(i);
                apply(
                        prefix + "certificate-hosts[" + i + "]",
                        "Give a regular expression matching a whole host, such as sns\\.us-east-1\\.amazonaws\\.com.",
                        () -> Schemes.sns().certificateHosts(host));
            }
            scheme[0] = scheme[0].certificateHosts(hosts.toArray(String[]::new));
        }
        if (p.getCertificateTimeout() != null) {
            apply(
                    prefix + "certificate-timeout",
                    () -> scheme[0] = scheme[0].certificateTimeout(p.getCertificateTimeout()));
        }
        if (p.getCertificateCacheSize() != null) {
            apply(
                    prefix + "certificate-cache-size",
                    () -> scheme[0] = scheme[0].certificateCacheSize(p.getCertificateCacheSize()));
        }
        if (p.getHttpClient() != null) {
            HttpClient client = httpClients.get(p.getHttpClient());
            if (client == null) {
                throw new WebhookConfigurationException(
                        prefix + "http-client",
                        "names no java.net.http.HttpClient bean: " + p.getHttpClient() + "; HttpClient beans: "
                                + new TreeSet<>(httpClients.keySet()),
                        "Declare a java.net.http.HttpClient bean (redirects NEVER) under that name, or remove " + prefix
                                + "http-client to use the JDK trust store.",
                        null);
            }
            scheme[0] = scheme[0].httpClient(client);
        }
        java.util.regex.Pattern subject = certificateName(prefix + "certificate-subject", p.getCertificateSubject());
        java.util.regex.Pattern issuer = certificateName(prefix + "certificate-issuer", p.getCertificateIssuer());
        if (subject != null || issuer != null) {
            scheme[0] = scheme[0].certificateCheck(certificate -> (subject == null
                            || subject.matcher(certificate
                                            .getSubjectX500Principal()
                                            .getName())
                                    .find())
                    && (issuer == null
                            || issuer.matcher(
                                            certificate.getIssuerX500Principal().getName())
                                    .find()));
        }
        if (Boolean.TRUE.equals(p.getAutoConfirm())) {
            scheme[0] = scheme[0].autoConfirm();
        }
        return scheme[0];
    }

    /**
     * {@code tenants.*}: per-tenant keys, each option under its own property; secrets from properties are checked
     * against the scheme at start-up (when the scheme is a property), each under {@code tenants.secrets.<tenant>[i]}.
     */
    private static TenantKeys tenantKeys(
            String prefix, HookwardenProperties.Tenants t, Scheme scheme, Map<String, TenantSecrets> beans) {
        TenantKeys.Builder builder = TenantKeys.builder();
        String from = t.getFrom();
        String fromAction = "Give path:/hooks/{tenant}, header:X-Account-Id, query:tenant or body:/account_id.";
        if (from == null) {
            throw new WebhookConfigurationException(
                    prefix + "from", "is missing: where the delivery names its tenant must be said", fromAction, null);
        }
        int colon = from.indexOf(':');
        String kind = colon < 0 ? from : from.substring(0, colon).trim();
        String value = colon < 0 ? "" : from.substring(colon + 1).trim();
        if (value.isEmpty()) {
            throw new WebhookConfigurationException(
                    prefix + "from", "is " + from + ": no kind:value", fromAction, null);
        }
        switch (kind) {
            case "path" -> apply(prefix + "from", fromAction, () -> builder.tenantFromPath(value));
            case "header" -> apply(prefix + "from", fromAction, () -> builder.tenantFromHeader(value));
            case "query" -> apply(prefix + "from", fromAction, () -> builder.tenantFromQuery(value));
            case "body" -> apply(prefix + "from", fromAction, () -> builder.tenantFromBody(value));
            default -> throw new WebhookConfigurationException(
                    prefix + "from", "names no place " + kind + ": path, header, query or body", fromAction, null);
        }
        Map<String, List<String>> configured = t.getSecrets() == null ? Map.of() : t.getSecrets();
        if (!configured.isEmpty() && t.getBean() != null) {
            throw new WebhookConfigurationException(
                    prefix + "bean",
                    "conflicts with " + prefix + "secrets: the tenants' secrets come from one place",
                    "Give one of them.",
                    null);
        }
        if (t.getBean() != null) {
            TenantSecrets bean = beans.get(t.getBean());
            if (bean == null) {
                throw new WebhookConfigurationException(
                        prefix + "bean",
                        "names no TenantSecrets bean: " + t.getBean() + "; TenantSecrets beans: "
                                + new TreeSet<>(beans.keySet()),
                        "Declare a TenantSecrets bean under that name, or give " + prefix + "secrets.<tenant>[0].",
                        null);
            }
            builder.keys(tenant -> bean.secrets(tenant).map(EndpointFactory::labelled));
        } else if (!configured.isEmpty()) {
            Map<String, Keys> keys = new java.util.HashMap<>();
            configured.forEach((tenant, secrets) -> {
                for (int i = 0; i < secrets.size(); i++) {
                    if (secrets.get(i) == null || secrets.get(i).isEmpty()) {
                        throw new WebhookConfigurationException(
                                prefix + "secrets." + tenant + "[" + i + "]",
                                "is empty",
                                SECRET_ACTION + prefix + "secrets." + tenant + "[" + i + "]=${...}.",
                                null);
                    }
                }
                Keys tenantKeys = labelled(secrets);
                if (scheme != null) {
                    try {
                        WebhookVerifier.builder()
                                .scheme(scheme)
                                .keys(tenantKeys)
                                .build();
                    } catch (InvalidSecretException e) {
                        throw new WebhookConfigurationException(
                                prefix + "secrets." + tenant + e.label().substring("secrets".length()),
                                e.getMessage(),
                                SECRET_ACTION + "the tenant's secret.",
                                e);
                    }
                }
                keys.put(tenant, tenantKeys);
            });
            Map<String, Keys> byTenant = Map.copyOf(keys);
            builder.keys(tenant -> Optional.ofNullable(byTenant.get(tenant)));
        } else {
            throw new WebhookConfigurationException(
                    prefix + "secrets",
                    "is missing: the tenants' secrets come from " + prefix + "secrets.<tenant>[0] or a TenantSecrets"
                            + " bean named by " + prefix + "bean",
                    "Give " + prefix + "secrets.<tenant>[0]=${...} for each tenant, or " + prefix + "bean.",
                    null);
        }
        if (t.getRefreshAfter() != null) {
            apply(prefix + "refresh-after", () -> builder.refreshAfter(t.getRefreshAfter()));
        }
        if (t.getUnknownFor() != null) {
            apply(prefix + "unknown-for", () -> builder.unknownFor(t.getUnknownFor()));
        }
        if (t.getLoadTimeout() != null) {
            apply(prefix + "load-timeout", () -> builder.loadTimeout(t.getLoadTimeout()));
        }
        if (t.getMaximumTenants() != null) {
            apply(prefix + "maximum-tenants", () -> builder.maximumTenants(t.getMaximumTenants()));
        }
        if (t.getMaximumUnknown() != null) {
            apply(prefix + "maximum-unknown", () -> builder.maximumUnknown(t.getMaximumUnknown()));
        }
        if (t.getMaximumLoadsPerSecond() != null) {
            apply(
                    prefix + "maximum-loads-per-second",
                    () -> builder.maximumLoadsPerSecond(t.getMaximumLoadsPerSecond()));
        }
        return builder.build();
    }

    /** A tenant's secrets as keys labelled {@code secrets[i]}, so {@code matchedKey()} is {@code <tenant>/secrets[i]}. */
    private static Keys labelled(List<String> secrets) {
        Keys.Builder keys = Keys.builder();
        for (int i = 0; i < secrets.size(); i++) {
            keys.add("secrets[" + i + "]", secrets.get(i));
        }
        return keys.build();
    }

    private static WebhookReceiver build(String prefix, WebhookReceiver.Builder receiver) {
        try {
            return receiver.build();
        } catch (IllegalStateException e) {
            throw new WebhookConfigurationException(
                    prefix + "*",
                    e.getMessage(),
                    "Options conflict: set each once, in properties or in a WebhookEndpointCustomizer; an endpoint"
                            + " with an inbox has no dedupe store.",
                    e);
        }
    }

    /** {@code inbox.*}: the Inbox bean, the accept status, the ordering and sequence. */
    private static void inbox(
            String prefix,
            HookwardenProperties.EndpointInbox p,
            Map<String, Inbox> inboxes,
            WebhookReceiver.Builder receiver) {
        if (p == null) {
            return;
        }
        if (!p.isOn()) {
            String set = p.getBean() != null
                    ? "bean"
                    : p.getAcceptStatus() != null ? "accept-status" : p.getOrdering() != null ? "ordering" : null;
            if (set != null) {
                throw new WebhookConfigurationException(
                        prefix + "inbox." + set,
                        "is set, but the endpoint has no inbox (" + prefix + "inbox.enabled=false)",
                        "Set " + prefix + "inbox.enabled=true, or remove " + prefix + "inbox." + set + ".",
                        null);
            }
            return;
        }
        receiver.inbox(inboxBean(prefix, p.getBean(), inboxes));
        if (p.getAcceptStatus() != null) {
            apply(prefix + "inbox.accept-status", () -> receiver.acceptStatus(p.getAcceptStatus()));
        }
        EventAttribute key =
                attribute(prefix + "inbox.ordering-key", p.getOrderingKeyPointer(), p.getOrderingKeyHeader());
        EventAttribute sequence = attribute(prefix + "inbox.sequence", p.getSequencePointer(), p.getSequenceHeader());
        if (p.getOrdering() == null || p.getOrdering() == InboxEntry.Ordering.NONE) {
            if (key != null || sequence != null) {
                throw new WebhookConfigurationException(
                        prefix + "inbox." + (key != null ? "ordering-key-pointer" : "sequence-pointer"),
                        "is set, but " + prefix + "inbox.ordering is not",
                        "Set " + prefix + "inbox.ordering=strict or latest.",
                        null);
            }
            return;
        }
        if (key == null) {
            throw new WebhookConfigurationException(
                    prefix + "inbox.ordering-key-pointer",
                    "is missing: ordering " + p.getOrdering() + " needs a key",
                    "Give " + prefix + "inbox.ordering-key-pointer=/data/object/id, or ordering-key-header.",
                    null);
        }
        apply(prefix + "inbox.ordering", () -> receiver.ordering(p.getOrdering(), key));
        if (sequence != null) {
            apply(prefix + "inbox.sequence-pointer", () -> receiver.sequence(sequence));
        }
    }

    /** The named Inbox bean, or the application's only one. */
    private static Inbox inboxBean(String prefix, String bean, Map<String, Inbox> inboxes) {
        String action = "Declare an Inbox bean (InMemoryInbox for a single instance, JdbcInbox from"
                + " hookwarden-inbox-jdbc to survive a crash), or name one with " + prefix + "inbox.bean.";
        if (bean != null) {
            Inbox inbox = inboxes.get(bean);
            if (inbox == null) {
                throw new WebhookConfigurationException(
                        prefix + "inbox.bean",
                        "names no Inbox bean: " + bean + "; Inbox beans: " + new TreeSet<>(inboxes.keySet()),
                        action,
                        null);
            }
            return inbox;
        }
        if (inboxes.size() != 1) {
            throw new WebhookConfigurationException(
                    prefix + "inbox.enabled",
                    inboxes.isEmpty()
                            ? "is true, but the application has no Inbox bean"
                            : "is true, and the application has several Inbox beans " + new TreeSet<>(inboxes.keySet())
                                    + ": which one is not said",
                    action,
                    null);
        }
        return inboxes.values().iterator().next();
    }

    /** A JSON pointer or a header, from a {@code <property>-pointer} / {@code <property>-header} pair; null for none. */
    private static EventAttribute attribute(String property, String pointer, String header) {
        if (pointer != null && header != null) {
            throw new WebhookConfigurationException(
                    property + "-pointer", "conflicts with " + property + "-header", "Give one of them.", null);
        }
        if (pointer != null) {
            try {
                return EventAttribute.jsonPointer(pointer);
            } catch (IllegalArgumentException e) {
                throw new WebhookConfigurationException(
                        property + "-pointer", e.getMessage(), "Give a JSON pointer such as /data/object/id.", e);
            }
        }
        if (header != null) {
            try {
                return EventAttribute.header(header);
            } catch (IllegalArgumentException e) {
                throw new WebhookConfigurationException(
                        property + "-header", e.getMessage(), "Give a header name the provider signs.", e);
            }
        }
        return null;
    }

    /** {@code schemas.*}: a {@link SchemaRegistry}, the version's location, report-only. */
    private static void schemas(
            String prefix, String name, HookwardenProperties.Schemas s, WebhookReceiver.Builder receiver) {
        if (s == null || s.isEmpty()) {
            if (s != null && (s.getVersionHeader() != null || s.getVersionPointer() != null || s.isReportOnly())) {
                throw new WebhookConfigurationException(
                        prefix + "schemas.types",
                        "is missing: the version and report-only settings need at least one schema",
                        "Give " + prefix + "schemas.types[<event type>]=classpath:schemas/<event type>.json",
                        null);
            }
            return;
        }
        SchemaRegistry.Builder registry = SchemaRegistry.builder();
        s.getTypes().forEach((type, location) -> {
            String property = prefix + "schemas.types[" + type + "]";
            PayloadSchema schema = schema(property, location);
            apply(property, () -> registry.schema(type, schema));
        });
        s.getVersions()
                .forEach((type, versions) -> versions.forEach((version, location) -> {
                    String property = prefix + "schemas.versions[" + type + "][" + version + "]";
                    PayloadSchema schema = schema(property, location);
                    apply(property, () -> registry.schema(type, version, schema));
                }));
        if (s.getDefaultSchema() != null) {
            PayloadSchema schema = schema(prefix + "schemas.default-schema", s.getDefaultSchema());
            apply(prefix + "schemas.default-schema", () -> registry.defaultSchema(schema));
        }
        if (s.getUnknownTypes() != null) {
            apply(prefix + "schemas.unknown-types", () -> registry.unknownTypes(s.getUnknownTypes()));
        }
        receiver.schemas(registry.build());
        if (s.getVersionHeader() != null && s.getVersionPointer() != null) {
            throw new WebhookConfigurationException(
                    prefix + "schemas.version-pointer",
                    "conflicts with " + prefix + "schemas.version-header",
                    "Give one of them.",
                    null);
        }
        if (s.getVersionHeader() != null) {
            apply(
                    prefix + "schemas.version-header",
                    () -> receiver.version(EventAttribute.header(s.getVersionHeader())));
        }
        if (s.getVersionPointer() != null) {
            apply(
                    prefix + "schemas.version-pointer",
                    () -> receiver.version(EventAttribute.jsonPointer(s.getVersionPointer())));
        }
        if (s.isReportOnly()) {
            receiver.reportOnly((webhook, result) -> LOG.log(
                    System.Logger.Level.WARNING,
                    "webhook {0} at endpoint {1} violates its schema at {2}; accepted (report-only)",
                    webhook,
                    name,
                    result.pointers()));
        }
    }

    /** A schema from {@code classpath:name} or a file path ({@code file:} optional). */
    private static PayloadSchema schema(String property, String location) {
        try {
            if (location.startsWith("classpath:")) {
                return PayloadSchema.classpath(location.substring("classpath:".length()));
            }
            return PayloadSchema.file(Path.of(location.startsWith("file:") ? location.substring(5) : location));
        } catch (IllegalArgumentException e) {
            throw new WebhookConfigurationException(
                    property,
                    e.getMessage(),
                    "Point it at a JSON Schema (draft 2020-12): classpath:schemas/<event type>.json or a file path.",
                    e);
        }
    }

    /** Runs a builder call, naming the property when the builder refuses it. */
    private static void apply(String property, Runnable call) {
        apply(
                property,
                property.endsWith("*")
                        ? "A WebhookEndpointCustomizer sets an option that a property already set, or an invalid"
                                + " value: set each option once, in properties or in code. The listener is the"
                                + " DeliveryListener bean's, when there is one: declare yours as that bean."
                        : "Fix the value of " + property + ".",
                call);
    }

    /** Runs a builder call, naming the property and what to do when the builder refuses it. */
    private static void apply(String property, String action, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new WebhookConfigurationException(property, e.getMessage(), action, e);
        }
    }

    /**
     * Stripe's endpoint signing secrets all start with {@code whsec_}; a secret without it verifies nothing Stripe sends
     * (it is often the API key, {@code sk_...}), and every delivery would be refused as a mismatch. A warning, not a
     * refusal: the scheme may be used for a provider that signs the same way. Names the property, never the value.
     */
    private static void warnOfStripeSecretsWithoutPrefix(String prefix, List<String> secrets) {
        for (int i = 0; i < secrets.size(); i++) {
            if (!secrets.get(i).startsWith("whsec_")) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "{0}secrets[{1}] for scheme stripe does not start with whsec_, as every Stripe endpoint"
                                + " signing secret does: Stripe''s deliveries will not verify with it. Copy the"
                                + " endpoint''s signing secret from the Stripe dashboard (Developers, Webhooks, the"
                                + " endpoint); an API key (sk_..., rk_...) is not it.",
                        prefix,
                        Integer.toString(i));
            }
        }
    }

    /** The secret a key label of this factory's ({@code secrets[i]}) stands for; null for any other label. */
    private static String secretLabelled(List<String> secrets, String label) {
        for (int i = 0; i < secrets.size(); i++) {
            if (label.equals("secrets[" + i + "]")) {
                return secrets.get(i);
            }
        }
        return null;
    }

    /**
     * Whether a secret still holds a {@code ${...}}: a placeholder Spring could not resolve, which Spring Boot binds as
     * its own text; the advice then is to set what it names, not to write it again.
     */
    private static boolean unresolvedPlaceholder(String secret) {
        if (secret == null) {
            return false;
        }
        int open = secret.indexOf("${");
        return open >= 0 && secret.indexOf('}', open) > open;
    }
}
