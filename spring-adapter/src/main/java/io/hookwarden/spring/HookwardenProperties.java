package io.hookwarden.spring;

import io.hookwarden.SchemaRegistry;
import io.hookwarden.spi.InboxEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code hookwarden.*}: the webhook endpoints by name, and the dedupe store they share. Bound by Spring Boot; not
 * thread-safe until bound, read-only afterwards.
 *
 * <pre>
 * hookwarden.endpoints.stripe.scheme=stripe
 * hookwarden.endpoints.stripe.secrets[0]=${STRIPE_WEBHOOK_SECRET}
 * hookwarden.endpoints.stripe.max-age=5m
 * hookwarden.dedupe.store=memory
 * </pre>
 */
@ConfigurationProperties(prefix = "hookwarden")
public class HookwardenProperties {
    /** The webhook endpoints, by the name that @WebhookEndpoint gives. */
    private Map<String, Endpoint> endpoints = new LinkedHashMap<>();

    /** The dedupe store that every endpoint shares. */
    private Dedupe dedupe = new Dedupe();

    /** The workers that run the handlers of endpoints with an inbox. */
    private InboxSettings inbox = new InboxSettings();

    /** Creates empty properties. */
    public HookwardenProperties() {}

    /** The endpoints by name. */
    public Map<String, Endpoint> getEndpoints() {
        return endpoints;
    }

    /** Sets the endpoints. */
    public void setEndpoints(Map<String, Endpoint> endpoints) {
        this.endpoints = endpoints;
    }

    /** The dedupe store settings. */
    public Dedupe getDedupe() {
        return dedupe;
    }

    /** Sets the dedupe store settings. */
    public void setDedupe(Dedupe dedupe) {
        this.dedupe = dedupe;
    }

    /** The inbox settings. */
    public InboxSettings getInbox() {
        return inbox;
    }

    /** Sets the inbox settings. */
    public void setInbox(InboxSettings inbox) {
        this.inbox = inbox;
    }

    /** One endpoint: {@code hookwarden.endpoints.<name>.*}. */
    public static class Endpoint {
        /** The scheme id: standard-webhooks, svix, stripe, github, slack, ... (see Schemes.ids()). */
        private String scheme;

        /**
         * The secrets (or public keys) exactly as the provider shows them; several while a secret is rotated. Labelled
         * secrets[0], secrets[1], ... in VerifiedWebhook.matchedKey().
         */
        private List<String> secrets = new ArrayList<>();

        /** The oldest signed timestamp accepted. Default 5 minutes. */
        private Duration maxAge;

        /** How far in the future a signed timestamp may be. Default 5 minutes (where the scheme bounds it). */
        private Duration futureSkew;

        /** The largest body accepted; larger ones are refused with 413 without being buffered. Default 1MB. */
        private DataSize maxBody;

        /** Path patterns that belong to this endpoint even when their handler carries no @WebhookEndpoint. */
        private List<String> paths = new ArrayList<>();

        /** The Retry-After sent with 409, 500 and 503 answers. Default 10 seconds. */
        private Duration retryAfter;

        /** How this endpoint's deliveries are deduplicated. */
        private EndpointDedupe dedupe = new EndpointDedupe();

        /** The JSON Schemas this endpoint's events must satisfy, by event type and version. */
        private Schemas schemas = new Schemas();

        /** Acknowledge fast, process later: write verified deliveries to an inbox that workers drain. */
        private EndpointInbox inbox = new EndpointInbox();

        /** Where the scheme token finds its static token, and the delivery's id and type: only with scheme=token. */
        private Token token = new Token();

        /** Which topics and certificate hosts the scheme sns accepts: only with scheme=sns, which takes no secrets. */
        private Sns sns = new Sns();

        /** Per-tenant keys: the delivery names its tenant, verified with that tenant's secrets only. */
        private Tenants tenants = new Tenants();

        /** The JWT options of scheme jwt or google-pubsub (with hookwarden-jwt on the class path). */
        private Jwt jwt = new Jwt();

        /** Creates an empty endpoint. */
        public Endpoint() {}

        /** The scheme id. */
        public String getScheme() {
            return scheme;
        }

        /** Sets the scheme id. */
        public void setScheme(String scheme) {
            this.scheme = scheme;
        }

        /** The secrets. */
        public List<String> getSecrets() {
            return secrets;
        }

        /** Sets the secrets. */
        public void setSecrets(List<String> secrets) {
            this.secrets = secrets;
        }

        /** The maximum age. */
        public Duration getMaxAge() {
            return maxAge;
        }

        /** Sets the maximum age. */
        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }

        /** The future skew. */
        public Duration getFutureSkew() {
            return futureSkew;
        }

        /** Sets the future skew. */
        public void setFutureSkew(Duration futureSkew) {
            this.futureSkew = futureSkew;
        }

        /** The body limit. */
        public DataSize getMaxBody() {
            return maxBody;
        }

        /** Sets the body limit. */
        public void setMaxBody(DataSize maxBody) {
            this.maxBody = maxBody;
        }

        /** The extra path patterns. */
        public List<String> getPaths() {
            return paths;
        }

        /** Sets the extra path patterns. */
        public void setPaths(List<String> paths) {
            this.paths = paths;
        }

        /** The Retry-After. */
        public Duration getRetryAfter() {
            return retryAfter;
        }

        /** Sets the Retry-After. */
        public void setRetryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }

        /** The dedupe settings. */
        public EndpointDedupe getDedupe() {
            return dedupe;
        }

        /** Sets the dedupe settings. */
        public void setDedupe(EndpointDedupe dedupe) {
            this.dedupe = dedupe;
        }

        /** The schema settings. */
        public Schemas getSchemas() {
            return schemas;
        }

        /** Sets the schema settings. */
        public void setSchemas(Schemas schemas) {
            this.schemas = schemas;
        }

        /** The inbox settings. */
        public EndpointInbox getInbox() {
            return inbox;
        }

        /** Sets the inbox settings. */
        public void setInbox(EndpointInbox inbox) {
            this.inbox = inbox;
        }

        /** The static token settings. */
        public Token getToken() {
            return token;
        }

        /** Sets the static token settings. */
        public void setToken(Token token) {
            this.token = token;
        }

        /** The AWS SNS settings. */
        public Sns getSns() {
            return sns;
        }

        /** Sets the AWS SNS settings. */
        public void setSns(Sns sns) {
            this.sns = sns;
        }

        /** The per-tenant key settings. */
        public Tenants getTenants() {
            return tenants;
        }

        /** Sets the per-tenant key settings. */
        public void setTenants(Tenants tenants) {
            this.tenants = tenants;
        }

        /** The JWT settings. */
        public Jwt getJwt() {
            return jwt;
        }

        /** Sets the JWT settings. */
        public void setJwt(Jwt jwt) {
            this.jwt = jwt;
        }
    }

    /**
     * {@code hookwarden.endpoints.<name>.token.*}: the options of {@code Schemes.token()}, for an endpoint whose scheme
     * is {@code token}; its tokens are the endpoint's {@code secrets[i]}. At most one of header, bearer, basic and query
     * says where the token travels; without any, it is {@code Authorization: Bearer}.
     */
    public static class Token {
        /** The token is the whole value of this header, such as X-Webhook-Token. */
        private String header;

        /** The token is a Bearer token, Authorization: Bearer (the default when no other place is given). */
        private Boolean bearer;

        /**
         * The token is in HTTP Basic credentials: credentials (secrets are user:password, both compared), user (the
         * user name is the token) or password (the password is the token).
         */
        private BasicToken basic;

        /** The token is the value of this query parameter, such as token; it is masked as *** wherever the URL goes. */
        private String query;

        /** The shortest token accepted, in UTF-8 bytes (for basic=credentials, the password's). Default 8. */
        private Integer minBytes;

        /** The header that carries the delivery id, the dedupe key. Default none: the SHA-256 of the body. */
        private String idHeader;

        /** A JSON pointer to the delivery id in the body, such as /id, used when no id header is present. */
        private String idPointer;

        /** The header that carries the event type. */
        private String eventTypeHeader;

        /** JSON pointers to the event type in the body, tried in order, such as /type. */
        private List<String> eventTypePointers = new ArrayList<>();

        /** The scheme's id in logs, metrics and VerifiedWebhook.schemeId(), such as acme. Default token. */
        private String schemeId;

        /** Creates empty settings. */
        public Token() {}

        /** The properties set, by their names under {@code token.}, in declaration order. */
        List<String> set() {
            List<String> set = new ArrayList<>();
            if (header != null) {
                set.add("header");
            }
            if (bearer != null) {
                set.add("bearer");
            }
            if (basic != null) {
                set.add("basic");
            }
            if (query != null) {
                set.add("query");
            }
            if (minBytes != null) {
                set.add("min-bytes");
            }
            if (idHeader != null) {
                set.add("id-header");
            }
            if (idPointer != null) {
                set.add("id-pointer");
            }
            if (eventTypeHeader != null) {
                set.add("event-type-header");
            }
            if (eventTypePointers != null && !eventTypePointers.isEmpty()) {
                set.add("event-type-pointers[0]");
            }
            if (schemeId != null) {
                set.add("scheme-id");
            }
            return set;
        }

        /** The header. */
        public String getHeader() {
            return header;
        }

        /** Sets the header. */
        public void setHeader(String header) {
            this.header = header;
        }

        /** Whether Bearer; null when not set. */
        public Boolean getBearer() {
            return bearer;
        }

        /** Sets whether Bearer. */
        public void setBearer(Boolean bearer) {
            this.bearer = bearer;
        }

        /** The part of Basic credentials that is the token. */
        public BasicToken getBasic() {
            return basic;
        }

        /** Sets the part of Basic credentials that is the token. */
        public void setBasic(BasicToken basic) {
            this.basic = basic;
        }

        /** The query parameter. */
        public String getQuery() {
            return query;
        }

        /** Sets the query parameter. */
        public void setQuery(String query) {
            this.query = query;
        }

        /** The minimum length in bytes. */
        public Integer getMinBytes() {
            return minBytes;
        }

        /** Sets the minimum length in bytes. */
        public void setMinBytes(Integer minBytes) {
            this.minBytes = minBytes;
        }

        /** The id header. */
        public String getIdHeader() {
            return idHeader;
        }

        /** Sets the id header. */
        public void setIdHeader(String idHeader) {
            this.idHeader = idHeader;
        }

        /** The id pointer. */
        public String getIdPointer() {
            return idPointer;
        }

        /** Sets the id pointer. */
        public void setIdPointer(String idPointer) {
            this.idPointer = idPointer;
        }

        /** The event type header. */
        public String getEventTypeHeader() {
            return eventTypeHeader;
        }

        /** Sets the event type header. */
        public void setEventTypeHeader(String eventTypeHeader) {
            this.eventTypeHeader = eventTypeHeader;
        }

        /** The event type pointers. */
        public List<String> getEventTypePointers() {
            return eventTypePointers;
        }

        /** Sets the event type pointers. */
        public void setEventTypePointers(List<String> eventTypePointers) {
            this.eventTypePointers = eventTypePointers;
        }

        /** The scheme id. */
        public String getSchemeId() {
            return schemeId;
        }

        /** Sets the scheme id. */
        public void setSchemeId(String schemeId) {
            this.schemeId = schemeId;
        }
    }

    /**
     * {@code hookwarden.endpoints.<name>.sns.*}: the options of {@code Schemes.sns()}, for an endpoint whose scheme is
     * {@code sns}. SNS signs with a certificate at the message's SigningCertURL, so the endpoint has no secrets.
     */
    public static class Sns {
        /** Only messages of these topic ARNs are accepted (confirmations included); default every topic. */
        private List<String> topics;

        /** Confirm subscriptions by visiting their SubscribeURL, and acknowledge unsubscribe confirmations. */
        private Boolean autoConfirm;

        /**
         * The hosts (regular expressions matched against the whole host) a SigningCertURL or SubscribeURL may name;
         * default the SNS hosts of every partition.
         */
        private List<String> certificateHosts;

        /** The bound on a certificate fetch or a subscription confirmation. Default 5s. */
        private Duration certificateTimeout;

        /** How many fetched certificates are cached. Default 64. */
        private Integer certificateCacheSize;

        /**
         * The name of a java.net.http.HttpClient bean that fetches certificates and confirms subscriptions (for a
         * proxy, or a trust store of its own); default a client with the JDK trust store that follows no redirect.
         */
        private String httpClient;

        /**
         * A regular expression found in the signing certificate's subject name (RFC 2253, as X500Principal's
         * getName() gives it, such as CN=sns.amazonaws.com); with certificate-issuer, replaces the default check that
         * the subject and the issuer name Amazon or AWS. Validity, key usage and the RSA key are checked whatever.
         */
        private String certificateSubject;

        /** A regular expression found in the signing certificate's issuer name (RFC 2253); see certificate-subject. */
        private String certificateIssuer;

        /** Creates empty settings. */
        public Sns() {}

        /** The properties set, by their names under {@code sns.}, in declaration order. */
        List<String> set() {
            List<String> set = new ArrayList<>();
            if (topics != null) {
                set.add("topics[0]");
            }
            if (autoConfirm != null) {
                set.add("auto-confirm");
            }
            if (certificateHosts != null) {
                set.add("certificate-hosts[0]");
            }
            if (certificateTimeout != null) {
                set.add("certificate-timeout");
            }
            if (certificateCacheSize != null) {
                set.add("certificate-cache-size");
            }
            if (httpClient != null) {
                set.add("http-client");
            }
            if (certificateSubject != null) {
                set.add("certificate-subject");
            }
            if (certificateIssuer != null) {
                set.add("certificate-issuer");
            }
            return set;
        }

        /** The topic ARNs. */
        public List<String> getTopics() {
            return topics;
        }

        /** Sets the topic ARNs. */
        public void setTopics(List<String> topics) {
            this.topics = topics;
        }

        /** Whether confirmations are answered by the scheme. */
        public Boolean getAutoConfirm() {
            return autoConfirm;
        }

        /** Sets whether confirmations are answered by the scheme. */
        public void setAutoConfirm(Boolean autoConfirm) {
            this.autoConfirm = autoConfirm;
        }

        /** The certificate host patterns. */
        public List<String> getCertificateHosts() {
            return certificateHosts;
        }

        /** Sets the certificate host patterns. */
        public void setCertificateHosts(List<String> certificateHosts) {
            this.certificateHosts = certificateHosts;
        }

        /** The certificate fetch bound. */
        public Duration getCertificateTimeout() {
            return certificateTimeout;
        }

        /** Sets the certificate fetch bound. */
        public void setCertificateTimeout(Duration certificateTimeout) {
            this.certificateTimeout = certificateTimeout;
        }

        /** The certificate cache size. */
        public Integer getCertificateCacheSize() {
            return certificateCacheSize;
        }

        /** Sets the certificate cache size. */
        public void setCertificateCacheSize(Integer certificateCacheSize) {
            this.certificateCacheSize = certificateCacheSize;
        }

        /** The HttpClient bean's name. */
        public String getHttpClient() {
            return httpClient;
        }

        /** Sets the HttpClient bean's name. */
        public void setHttpClient(String httpClient) {
            this.httpClient = httpClient;
        }

        /** The certificate subject pattern. */
        public String getCertificateSubject() {
            return certificateSubject;
        }

        /** Sets the certificate subject pattern. */
        public void setCertificateSubject(String certificateSubject) {
            this.certificateSubject = certificateSubject;
        }

        /** The certificate issuer pattern. */
        public String getCertificateIssuer() {
            return certificateIssuer;
        }

        /** Sets the certificate issuer pattern. */
        public void setCertificateIssuer(String certificateIssuer) {
            this.certificateIssuer = certificateIssuer;
        }
    }

    /**
     * {@code hookwarden.endpoints.<name>.tenants.*}: per-tenant keys ({@code io.hookwarden.TenantKeys}) instead of the
     * endpoint's {@code secrets}: where the delivery names its tenant, and the tenants' secrets from properties or from
     * a {@link TenantSecrets} bean.
     */
    public static class Tenants {
        /**
         * Where the delivery names its tenant: path:/hooks/{tenant}, header:X-Account-Id, query:tenant or
         * body:/account_id (a JSON pointer).
         */
        private String from;

        /** The tenants' secrets, by tenant: tenants.secrets.acme[0]=...; several while a tenant rotates. */
        private Map<String, List<String>> secrets = new LinkedHashMap<>();

        /** The name of a TenantSecrets bean that gives a tenant's secrets, instead of tenants.secrets. */
        private String bean;

        /** How long a tenant's secrets are used before they are read again. Default 5m. */
        private Duration refreshAfter;

        /** How long an unknown tenant is remembered as unknown. Default 30s. */
        private Duration unknownFor;

        /** How long a delivery waits for another thread that is reading its tenant's secrets. Default 5s. */
        private Duration loadTimeout;

        /** The most tenants whose secrets are cached. Default 10000. */
        private Integer maximumTenants;

        /** The most unknown tenants remembered. Default 1000. */
        private Integer maximumUnknown;

        /**
         * The most reads of tenants' secrets in one second, over all tenants; a delivery that would need one more is
         * answered 503 (the provider retries). Default 100.
         */
        private Integer maximumLoadsPerSecond;

        /** Creates empty settings. */
        public Tenants() {}

        /** The properties set, by their names under {@code tenants.}, in declaration order. */
        List<String> set() {
            List<String> set = new ArrayList<>();
            if (from != null) {
                set.add("from");
            }
            if (secrets != null && !secrets.isEmpty()) {
                set.add("secrets");
            }
            if (bean != null) {
                set.add("bean");
            }
            if (refreshAfter != null) {
                set.add("refresh-after");
            }
            if (unknownFor != null) {
                set.add("unknown-for");
            }
            if (loadTimeout != null) {
                set.add("load-timeout");
            }
            if (maximumTenants != null) {
                set.add("maximum-tenants");
            }
            if (maximumUnknown != null) {
                set.add("maximum-unknown");
            }
            if (maximumLoadsPerSecond != null) {
                set.add("maximum-loads-per-second");
            }
            return set;
        }

        /** Where the tenant is named. */
        public String getFrom() {
            return from;
        }

        /** Sets where the tenant is named. */
        public void setFrom(String from) {
            this.from = from;
        }

        /** The tenants' secrets. */
        public Map<String, List<String>> getSecrets() {
            return secrets;
        }

        /** Sets the tenants' secrets. */
        public void setSecrets(Map<String, List<String>> secrets) {
            this.secrets = secrets;
        }

        /** The TenantSecrets bean's name. */
        public String getBean() {
            return bean;
        }

        /** Sets the TenantSecrets bean's name. */
        public void setBean(String bean) {
            this.bean = bean;
        }

        /** The refresh period. */
        public Duration getRefreshAfter() {
            return refreshAfter;
        }

        /** Sets the refresh period. */
        public void setRefreshAfter(Duration refreshAfter) {
            this.refreshAfter = refreshAfter;
        }

        /** How long an unknown tenant stays unknown. */
        public Duration getUnknownFor() {
            return unknownFor;
        }

        /** Sets how long an unknown tenant stays unknown. */
        public void setUnknownFor(Duration unknownFor) {
            this.unknownFor = unknownFor;
        }

        /** The load timeout. */
        public Duration getLoadTimeout() {
            return loadTimeout;
        }

        /** Sets the load timeout. */
        public void setLoadTimeout(Duration loadTimeout) {
            this.loadTimeout = loadTimeout;
        }

        /** The most tenants cached. */
        public Integer getMaximumTenants() {
            return maximumTenants;
        }

        /** Sets the most tenants cached. */
        public void setMaximumTenants(Integer maximumTenants) {
            this.maximumTenants = maximumTenants;
        }

        /** The most unknown tenants remembered. */
        public Integer getMaximumUnknown() {
            return maximumUnknown;
        }

        /** Sets the most unknown tenants remembered. */
        public void setMaximumUnknown(Integer maximumUnknown) {
            this.maximumUnknown = maximumUnknown;
        }

        /** The most loads per second. */
        public Integer getMaximumLoadsPerSecond() {
            return maximumLoadsPerSecond;
        }

        /** Sets the most loads per second. */
        public void setMaximumLoadsPerSecond(Integer maximumLoadsPerSecond) {
            this.maximumLoadsPerSecond = maximumLoadsPerSecond;
        }
    }

    /**
     * {@code hookwarden.endpoints.<name>.jwt.*}: the options of {@code JwtSchemes.bearer()} (scheme {@code jwt}) or
     * {@code JwtSchemes.googlePubSub()} (scheme {@code google-pubsub}), from hookwarden-jwt. With a JWKS URL the keys
     * are fetched and the endpoint has no secrets; without one, its secrets are the public keys (JWK or PEM).
     */
    public static class Jwt {
        /** Where the signing keys are published, https (http only on loopback); google-pubsub defaults to Google's. */
        private String jwksUrl;

        /** The iss values accepted; required for jwt, Google's for google-pubsub. */
        private List<String> issuers;

        /** The aud values accepted; required. */
        private List<String> audiences;

        /** The signature algorithms accepted, such as RS256, ES256; default RSA and EC ones (RS256 for Pub/Sub). */
        private List<String> algorithms;

        /** How far iat, nbf and exp may be off. Default 60s, at most 10m. */
        private Duration clockSkew;

        /** Claims a token must carry with these values (true and false are booleans). */
        private Map<String, String> requiredClaims = new LinkedHashMap<>();

        /** The service account whose tokens are accepted: email and email_verified=true are required. */
        private String serviceAccount;

        /**
         * A JSON pointer to the delivery id in the body, the dedupe key; default the SHA-256 of the body
         * (/message/messageId for google-pubsub).
         */
        private String idPointer;

        /** JSON pointers to the event type in the body, tried in order; default none. */
        private List<String> eventTypePointers;

        /** How long fetched JWKS keys are used before they are fetched again. Default 5m. */
        private Duration jwksTtl;

        /** The least time between two fetches of the JWKS, whatever asks for them. Default 30s. */
        private Duration jwksMinInterval;

        /** How long a JWKS fetch may take, to connect and to answer. Default 5s. */
        private Duration jwksTimeout;

        /** Creates empty settings. */
        public Jwt() {}

        /** The properties set, by their names under {@code jwt.}, in declaration order. */
        List<String> set() {
            List<String> set = new ArrayList<>();
            if (jwksUrl != null) {
                set.add("jwks-url");
            }
            if (issuers != null) {
                set.add("issuers[0]");
            }
            if (audiences != null) {
                set.add("audiences[0]");
            }
            if (algorithms != null) {
                set.add("algorithms[0]");
            }
            if (clockSkew != null) {
                set.add("clock-skew");
            }
            if (requiredClaims != null && !requiredClaims.isEmpty()) {
                set.add("required-claims");
            }
            if (serviceAccount != null) {
                set.add("service-account");
            }
            if (idPointer != null) {
                set.add("id-pointer");
            }
            if (eventTypePointers != null) {
                set.add("event-type-pointers[0]");
            }
            if (jwksTtl != null) {
                set.add("jwks-ttl");
            }
            if (jwksMinInterval != null) {
                set.add("jwks-min-interval");
            }
            if (jwksTimeout != null) {
                set.add("jwks-timeout");
            }
            return set;
        }

        /** The JWKS URL. */
        public String getJwksUrl() {
            return jwksUrl;
        }

        /** Sets the JWKS URL. */
        public void setJwksUrl(String jwksUrl) {
            this.jwksUrl = jwksUrl;
        }

        /** The issuers. */
        public List<String> getIssuers() {
            return issuers;
        }

        /** Sets the issuers. */
        public void setIssuers(List<String> issuers) {
            this.issuers = issuers;
        }

        /** The audiences. */
        public List<String> getAudiences() {
            return audiences;
        }

        /** Sets the audiences. */
        public void setAudiences(List<String> audiences) {
            this.audiences = audiences;
        }

        /** The algorithms. */
        public List<String> getAlgorithms() {
            return algorithms;
        }

        /** Sets the algorithms. */
        public void setAlgorithms(List<String> algorithms) {
            this.algorithms = algorithms;
        }

        /** The clock skew. */
        public Duration getClockSkew() {
            return clockSkew;
        }

        /** Sets the clock skew. */
        public void setClockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
        }

        /** The required claims. */
        public Map<String, String> getRequiredClaims() {
            return requiredClaims;
        }

        /** Sets the required claims. */
        public void setRequiredClaims(Map<String, String> requiredClaims) {
            this.requiredClaims = requiredClaims;
        }

        /** The service account. */
        public String getServiceAccount() {
            return serviceAccount;
        }

        /** Sets the service account. */
        public void setServiceAccount(String serviceAccount) {
            this.serviceAccount = serviceAccount;
        }

        /** The id pointer. */
        public String getIdPointer() {
            return idPointer;
        }

        /** Sets the id pointer. */
        public void setIdPointer(String idPointer) {
            this.idPointer = idPointer;
        }

        /** The event type pointers. */
        public List<String> getEventTypePointers() {
            return eventTypePointers;
        }

        /** Sets the event type pointers. */
        public void setEventTypePointers(List<String> eventTypePointers) {
            this.eventTypePointers = eventTypePointers;
        }

        /** The JWKS time to live. */
        public Duration getJwksTtl() {
            return jwksTtl;
        }

        /** Sets the JWKS time to live. */
        public void setJwksTtl(Duration jwksTtl) {
            this.jwksTtl = jwksTtl;
        }

        /** The least time between JWKS fetches. */
        public Duration getJwksMinInterval() {
            return jwksMinInterval;
        }

        /** Sets the least time between JWKS fetches. */
        public void setJwksMinInterval(Duration jwksMinInterval) {
            this.jwksMinInterval = jwksMinInterval;
        }

        /** The JWKS fetch timeout. */
        public Duration getJwksTimeout() {
            return jwksTimeout;
        }

        /** Sets the JWKS fetch timeout. */
        public void setJwksTimeout(Duration jwksTimeout) {
            this.jwksTimeout = jwksTimeout;
        }
    }

    /** Which part of HTTP Basic credentials is the token. */
    public enum BasicToken {
        /** The whole user:password, both compared; the secrets are user:password. */
        CREDENTIALS,
        /** The user name; the password is not checked. */
        USER,
        /** The password; any user name is accepted. */
        PASSWORD
    }

    /** {@code hookwarden.endpoints.<name>.inbox.*}: the endpoint's inbox, answer, ordering and worker overrides. */
    public static class EndpointInbox {
        /**
         * Write this endpoint's verified deliveries to the application's Inbox bean and answer at once; @InboxHandler
         * methods run them later. Default true when inbox.bean is given, else false.
         */
        private Boolean enabled;

        /** The name of the Inbox bean to write to, when the application has several. */
        private String bean;

        /** The status a stored delivery is answered with: 200 or 202. Default 200. */
        private Integer acceptStatus;

        /** Order deliveries per key: strict (one at a time, in sequence order) or latest (skip older ones). */
        private InboxEntry.Ordering ordering;

        /** The ordering key as a JSON pointer into the body, such as /data/object/id. */
        private String orderingKeyPointer;

        /** The ordering key as a header the provider signs. */
        private String orderingKeyHeader;

        /** Where a delivery stands among its key's, as a JSON pointer; default the provider's signed timestamp. */
        private String sequencePointer;

        /** Where a delivery stands among its key's, as a header; default the provider's signed timestamp. */
        private String sequenceHeader;

        /** This endpoint's worker, overriding hookwarden.inbox.worker.*. */
        private WorkerOptions worker = new WorkerOptions();

        /** Creates empty settings. */
        public EndpointInbox() {}

        /** Whether the endpoint writes to an inbox: enabled, or else a bean is named. */
        boolean isOn() {
            return enabled != null ? enabled : bean != null;
        }

        /** Whether enabled; null when not set. */
        public Boolean getEnabled() {
            return enabled;
        }

        /** Sets whether enabled. */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /** The Inbox bean's name. */
        public String getBean() {
            return bean;
        }

        /** Sets the Inbox bean's name. */
        public void setBean(String bean) {
            this.bean = bean;
        }

        /** The accept status. */
        public Integer getAcceptStatus() {
            return acceptStatus;
        }

        /** Sets the accept status. */
        public void setAcceptStatus(Integer acceptStatus) {
            this.acceptStatus = acceptStatus;
        }

        /** The ordering. */
        public InboxEntry.Ordering getOrdering() {
            return ordering;
        }

        /** Sets the ordering. */
        public void setOrdering(InboxEntry.Ordering ordering) {
            this.ordering = ordering;
        }

        /** The ordering key pointer. */
        public String getOrderingKeyPointer() {
            return orderingKeyPointer;
        }

        /** Sets the ordering key pointer. */
        public void setOrderingKeyPointer(String orderingKeyPointer) {
            this.orderingKeyPointer = orderingKeyPointer;
        }

        /** The ordering key header. */
        public String getOrderingKeyHeader() {
            return orderingKeyHeader;
        }

        /** Sets the ordering key header. */
        public void setOrderingKeyHeader(String orderingKeyHeader) {
            this.orderingKeyHeader = orderingKeyHeader;
        }

        /** The sequence pointer. */
        public String getSequencePointer() {
            return sequencePointer;
        }

        /** Sets the sequence pointer. */
        public void setSequencePointer(String sequencePointer) {
            this.sequencePointer = sequencePointer;
        }

        /** The sequence header. */
        public String getSequenceHeader() {
            return sequenceHeader;
        }

        /** Sets the sequence header. */
        public void setSequenceHeader(String sequenceHeader) {
            this.sequenceHeader = sequenceHeader;
        }

        /** The worker overrides. */
        public WorkerOptions getWorker() {
            return worker;
        }

        /** Sets the worker overrides. */
        public void setWorker(WorkerOptions worker) {
            this.worker = worker;
        }
    }

    /** {@code hookwarden.inbox.*}. */
    public static class InboxSettings {
        /**
         * The inbox to build for endpoints with inbox.enabled, unless the application declares an Inbox bean: redis
         * (hookwarden-inbox-redis) or kafka (hookwarden-inbox-kafka). Default none: the application's Inbox bean.
         */
        private InboxStore store;

        /** The Redis Streams inbox's settings (hookwarden-inbox-redis). */
        private InboxRedis redis = new InboxRedis();

        /** The Kafka inbox's settings (hookwarden-inbox-kafka). */
        private InboxKafka kafka = new InboxKafka();

        /** The workers of endpoints with an inbox: one per endpoint. */
        private Worker worker = new Worker();

        /** Creates default settings. */
        public InboxSettings() {}

        /** The inbox kind; null when the application declares its own. */
        public InboxStore getStore() {
            return store;
        }

        /** Sets the inbox kind. */
        public void setStore(InboxStore store) {
            this.store = store;
        }

        /** The Redis inbox settings. */
        public InboxRedis getRedis() {
            return redis;
        }

        /** Sets the Redis inbox settings. */
        public void setRedis(InboxRedis redis) {
            this.redis = redis;
        }

        /** The Kafka inbox settings. */
        public InboxKafka getKafka() {
            return kafka;
        }

        /** Sets the Kafka inbox settings. */
        public void setKafka(InboxKafka kafka) {
            this.kafka = kafka;
        }

        /** The worker settings. */
        public Worker getWorker() {
            return worker;
        }

        /** Sets the worker settings. */
        public void setWorker(Worker worker) {
            this.worker = worker;
        }
    }

    /** A worker's options; an endpoint's override those of {@code hookwarden.inbox.worker.*}. */
    public static class WorkerOptions {
        /** Handler threads. Default 4. */
        private Integer concurrency;

        /** The wait between claims when nothing is due (jittered by a quarter). Default 1 second. */
        private Duration pollInterval;

        /** The most deliveries one claim takes. Default the concurrency plus the prefetch. */
        private Integer batchSize;

        /** Claimed deliveries that may wait in line for a thread, beyond one per thread. Default 0. */
        private Integer prefetch;

        /** How long a claimed delivery is held, extended while its handler runs. Default 1 minute. */
        private Duration lease;

        /** Retries with exponential backoff and full jitter. */
        private Retry retry = new Retry();

        /** Creates empty options. */
        public WorkerOptions() {}

        /** The concurrency. */
        public Integer getConcurrency() {
            return concurrency;
        }

        /** Sets the concurrency. */
        public void setConcurrency(Integer concurrency) {
            this.concurrency = concurrency;
        }

        /** The poll interval. */
        public Duration getPollInterval() {
            return pollInterval;
        }

        /** Sets the poll interval. */
        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        /** The batch size. */
        public Integer getBatchSize() {
            return batchSize;
        }

        /** Sets the batch size. */
        public void setBatchSize(Integer batchSize) {
            this.batchSize = batchSize;
        }

        /** The prefetch. */
        public Integer getPrefetch() {
            return prefetch;
        }

        /** Sets the prefetch. */
        public void setPrefetch(Integer prefetch) {
            this.prefetch = prefetch;
        }

        /** The lease. */
        public Duration getLease() {
            return lease;
        }

        /** Sets the lease. */
        public void setLease(Duration lease) {
            this.lease = lease;
        }

        /** The retry settings. */
        public Retry getRetry() {
            return retry;
        }

        /** Sets the retry settings. */
        public void setRetry(Retry retry) {
            this.retry = retry;
        }
    }

    /** {@code hookwarden.inbox.worker.*}: every endpoint's worker. */
    public static class Worker extends WorkerOptions {
        /** Whether this instance runs workers. Default true (set false on instances that only receive). */
        private boolean enabled = true;

        /** How long completed and skipped deliveries stay as duplicates. Default 7 days. */
        private Duration retention;

        /** How long shutdown waits for running handlers before interrupting them. Default 30 seconds. */
        private Duration shutdownGrace = Duration.ofSeconds(30);

        /** Creates default settings. */
        public Worker() {}

        /** Whether workers run. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether workers run. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The retention. */
        public Duration getRetention() {
            return retention;
        }

        /** Sets the retention. */
        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        /** The shutdown grace. */
        public Duration getShutdownGrace() {
            return shutdownGrace;
        }

        /** Sets the shutdown grace. */
        public void setShutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
        }
    }

    /** {@code ...worker.retry.*}: exponential backoff with full jitter. */
    public static class Retry {
        /** The longest wait after the first failed attempt. Default 1 second. */
        private Duration base;

        /** How much the longest wait grows per attempt; at least 1. Default 2. */
        private Double factor;

        /** The longest wait ever. Default 1 hour. */
        private Duration cap;

        /** Attempts before a delivery is dead, the first included. Default 20. */
        private Integer maxAttempts;

        /** Creates empty settings. */
        public Retry() {}

        /** Whether any is set. */
        boolean isEmpty() {
            return base == null && factor == null && cap == null && maxAttempts == null;
        }

        /** The base. */
        public Duration getBase() {
            return base;
        }

        /** Sets the base. */
        public void setBase(Duration base) {
            this.base = base;
        }

        /** The factor. */
        public Double getFactor() {
            return factor;
        }

        /** Sets the factor. */
        public void setFactor(Double factor) {
            this.factor = factor;
        }

        /** The cap. */
        public Duration getCap() {
            return cap;
        }

        /** Sets the cap. */
        public void setCap(Duration cap) {
            this.cap = cap;
        }

        /** The maximum attempts. */
        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        /** Sets the maximum attempts. */
        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }
    }

    /** {@code hookwarden.endpoints.<name>.schemas.*}: a SchemaRegistry, when any schema is given. */
    public static class Schemas {
        /**
         * The schema of each event type, any version: types[invoice.paid]=classpath:schemas/invoice.paid.json (or a
         * file path). Brackets keep the dots of a type in the key.
         */
        private Map<String, String> types = new LinkedHashMap<>();

        /** The schema of an event type at one version: versions[invoice.paid][2025-01]=classpath:... */
        private Map<String, Map<String, String>> versions = new LinkedHashMap<>();

        /** The schema of every event whose type has none of its own. */
        private String defaultSchema;

        /** What happens to an event whose type has no schema: reject (default, nothing passes unchecked) or accept. */
        private SchemaRegistry.UnknownTypes unknownTypes;

        /** The header that carries an event's version, such as X-Webhook-Version. */
        private String versionHeader;

        /** The JSON pointer to an event's version in the body, such as /api_version. */
        private String versionPointer;

        /** Accept deliveries that violate their schema and log the violations (pointers only), to roll a schema out. */
        private boolean reportOnly;

        /** Creates empty settings. */
        public Schemas() {}

        /** Whether any schema is given. */
        boolean isEmpty() {
            return types.isEmpty() && versions.isEmpty() && defaultSchema == null;
        }

        /** The schemas by type. */
        public Map<String, String> getTypes() {
            return types;
        }

        /** Sets the schemas by type. */
        public void setTypes(Map<String, String> types) {
            this.types = types;
        }

        /** The schemas by type and version. */
        public Map<String, Map<String, String>> getVersions() {
            return versions;
        }

        /** Sets the schemas by type and version. */
        public void setVersions(Map<String, Map<String, String>> versions) {
            this.versions = versions;
        }

        /** The default schema. */
        public String getDefaultSchema() {
            return defaultSchema;
        }

        /** Sets the default schema. */
        public void setDefaultSchema(String defaultSchema) {
            this.defaultSchema = defaultSchema;
        }

        /** The unknown-type policy. */
        public SchemaRegistry.UnknownTypes getUnknownTypes() {
            return unknownTypes;
        }

        /** Sets the unknown-type policy. */
        public void setUnknownTypes(SchemaRegistry.UnknownTypes unknownTypes) {
            this.unknownTypes = unknownTypes;
        }

        /** The version header. */
        public String getVersionHeader() {
            return versionHeader;
        }

        /** Sets the version header. */
        public void setVersionHeader(String versionHeader) {
            this.versionHeader = versionHeader;
        }

        /** The version pointer. */
        public String getVersionPointer() {
            return versionPointer;
        }

        /** Sets the version pointer. */
        public void setVersionPointer(String versionPointer) {
            this.versionPointer = versionPointer;
        }

        /** Whether violations are only reported. */
        public boolean isReportOnly() {
            return reportOnly;
        }

        /** Sets whether violations are only reported. */
        public void setReportOnly(boolean reportOnly) {
            this.reportOnly = reportOnly;
        }
    }

    /** {@code hookwarden.endpoints.<name>.dedupe.*}. */
    public static class EndpointDedupe {
        /** How long a claim holds while the handler runs; longer than the slowest handler. Default 1 minute. */
        private Duration lease;

        /** How long a processed delivery stays a duplicate; longer than the provider retries. Default 7 days. */
        private Duration retention;

        /** Name deliveries by this header instead of the scheme's signed id (use only a header the provider signs). */
        private String keyHeader;

        /** Name deliveries by this JSON pointer into the body, such as /event_id, instead of the scheme's id. */
        private String keyPointer;

        /** Creates empty settings. */
        public EndpointDedupe() {}

        /** The lease. */
        public Duration getLease() {
            return lease;
        }

        /** Sets the lease. */
        public void setLease(Duration lease) {
            this.lease = lease;
        }

        /** The retention. */
        public Duration getRetention() {
            return retention;
        }

        /** Sets the retention. */
        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        /** The key header. */
        public String getKeyHeader() {
            return keyHeader;
        }

        /** Sets the key header. */
        public void setKeyHeader(String keyHeader) {
            this.keyHeader = keyHeader;
        }

        /** The key pointer. */
        public String getKeyPointer() {
            return keyPointer;
        }

        /** Sets the key pointer. */
        public void setKeyPointer(String keyPointer) {
            this.keyPointer = keyPointer;
        }
    }

    /** {@code hookwarden.dedupe.*}. */
    public static class Dedupe {
        /** Which dedupe store every endpoint shares, unless the application declares a DedupeStore bean. */
        private Store store = Store.MEMORY;

        /** The in-memory store's settings. */
        private Memory memory = new Memory();

        /** The Redis store's settings (hookwarden-dedupe-redis). */
        private Redis redis = new Redis();

        /** The JDBC store's settings (hookwarden-dedupe-jdbc). */
        private Jdbc jdbc = new Jdbc();

        /**
         * Refuse to start when the dedupe store does not answer a probe at start-up. Default false: the application
         * starts, answers deliveries 503 STORE_UNAVAILABLE with Retry-After and reports health DOWN until the store
         * answers.
         */
        private boolean failFast;

        /** Creates default settings. */
        public Dedupe() {}

        /** Whether start-up fails when the store does not answer. */
        public boolean isFailFast() {
            return failFast;
        }

        /** Sets whether start-up fails when the store does not answer. */
        public void setFailFast(boolean failFast) {
            this.failFast = failFast;
        }

        /** The store kind. */
        public Store getStore() {
            return store;
        }

        /** Sets the store kind. */
        public void setStore(Store store) {
            this.store = store;
        }

        /** The in-memory settings. */
        public Memory getMemory() {
            return memory;
        }

        /** Sets the in-memory settings. */
        public void setMemory(Memory memory) {
            this.memory = memory;
        }

        /** The Redis settings. */
        public Redis getRedis() {
            return redis;
        }

        /** Sets the Redis settings. */
        public void setRedis(Redis redis) {
            this.redis = redis;
        }

        /** The JDBC settings. */
        public Jdbc getJdbc() {
            return jdbc;
        }

        /** Sets the JDBC settings. */
        public void setJdbc(Jdbc jdbc) {
            this.jdbc = jdbc;
        }
    }

    /** {@code hookwarden.dedupe.redis.*}. */
    public static class Redis {
        /**
         * Redis's address, redis://[[user]:password@]host[:port][/database] (rediss:// for TLS). Without it, the
         * application's Lettuce RedisClient bean, or the client of its Spring Data Redis LettuceConnectionFactory.
         */
        private String uri;

        /** The prefix before every dedupe key in Redis. Default hookwarden:dedupe:. */
        private String keyPrefix;

        /** How long a Redis command may take before the delivery fails closed with 503. Default 2 seconds. */
        private Duration commandTimeout;

        /** Creates default settings. */
        public Redis() {}

        /** The URI. */
        public String getUri() {
            return uri;
        }

        /** Sets the URI. */
        public void setUri(String uri) {
            this.uri = uri;
        }

        /** The key prefix. */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /** Sets the key prefix. */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /** The command timeout. */
        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        /** Sets the command timeout. */
        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }
    }

    /** {@code hookwarden.inbox.redis.*}. */
    public static class InboxRedis {
        /**
         * Redis's address, redis://[[user]:password@]host[:port][/database] (rediss:// for TLS). Without it, the
         * application's Lettuce RedisClient bean, or the client of its Spring Data Redis LettuceConnectionFactory.
         */
        private String uri;

        /** The prefix before every inbox key in Redis, without braces. Default hookwarden:inbox:. */
        private String keyPrefix;

        /** The most entries an endpoint's stream holds; a write past it is answered 503. Default 1000000. */
        private Long maxLength;

        /** How long a Redis command may take before the call fails (a delivery with 503). Default 2 seconds. */
        private Duration commandTimeout;

        /** Creates default settings. */
        public InboxRedis() {}

        /** The URI. */
        public String getUri() {
            return uri;
        }

        /** Sets the URI. */
        public void setUri(String uri) {
            this.uri = uri;
        }

        /** The key prefix. */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /** Sets the key prefix. */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /** The length cap of each endpoint's stream. */
        public Long getMaxLength() {
            return maxLength;
        }

        /** Sets the length cap of each endpoint's stream. */
        public void setMaxLength(Long maxLength) {
            this.maxLength = maxLength;
        }

        /** The command timeout. */
        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        /** Sets the command timeout. */
        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }
    }

    /** {@code hookwarden.inbox.kafka.*}. */
    public static class InboxKafka {
        /** The brokers to connect to first, host:port[,host:port...]. Required. */
        private String bootstrapServers;

        /**
         * The topic an endpoint's deliveries are published to, where {endpoint} stands for the endpoint's name; its dead
         * letters go to the same name with .DLT. Default hookwarden.{endpoint}.
         */
        private String topic;

        /** The topic of an endpoint, by endpoint name, in place of the topic pattern. */
        private Map<String, String> topics = new LinkedHashMap<>();

        /**
         * The longest a delivery waits for the broker's acknowledgement (then 503, the provider retries). Default 5
         * seconds.
         */
        private Duration writeTimeout;

        /** More client properties for the producer and the consumers: TLS, SASL, client.id, max.poll.records... */
        private Map<String, String> properties = new LinkedHashMap<>();

        /** The consumer group of the workers. Default hookwarden. */
        private String groupId;

        /** Consumers per topic in this instance (each a thread; at most one per partition helps). Default 1. */
        private Integer consumers;

        /** The longest one poll of a consumer waits. Default 500 ms. */
        private Duration pollTimeout;

        /** The prefix of the workers' keys in the dedupe store. Default hookwarden:kafka:. */
        private String keyPrefix;

        /** Creates default settings. */
        public InboxKafka() {}

        /** The bootstrap servers. */
        public String getBootstrapServers() {
            return bootstrapServers;
        }

        /** Sets the bootstrap servers. */
        public void setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        /** The topic pattern. */
        public String getTopic() {
            return topic;
        }

        /** Sets the topic pattern. */
        public void setTopic(String topic) {
            this.topic = topic;
        }

        /** The topics by endpoint name. */
        public Map<String, String> getTopics() {
            return topics;
        }

        /** Sets the topics by endpoint name. */
        public void setTopics(Map<String, String> topics) {
            this.topics = topics;
        }

        /** The write timeout. */
        public Duration getWriteTimeout() {
            return writeTimeout;
        }

        /** Sets the write timeout. */
        public void setWriteTimeout(Duration writeTimeout) {
            this.writeTimeout = writeTimeout;
        }

        /** The client properties. */
        public Map<String, String> getProperties() {
            return properties;
        }

        /** Sets the client properties. */
        public void setProperties(Map<String, String> properties) {
            this.properties = properties;
        }

        /** The consumer group. */
        public String getGroupId() {
            return groupId;
        }

        /** Sets the consumer group. */
        public void setGroupId(String groupId) {
            this.groupId = groupId;
        }

        /** The consumers per topic. */
        public Integer getConsumers() {
            return consumers;
        }

        /** Sets the consumers per topic. */
        public void setConsumers(Integer consumers) {
            this.consumers = consumers;
        }

        /** The poll timeout. */
        public Duration getPollTimeout() {
            return pollTimeout;
        }

        /** Sets the poll timeout. */
        public void setPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
        }

        /** The dedupe key prefix. */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /** Sets the dedupe key prefix. */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }
    }

    /** The inbox kinds {@code hookwarden.inbox.store} builds. */
    public enum InboxStore {
        /** Redis Streams, shared by every replica (hookwarden-inbox-redis). */
        REDIS,
        /** Kafka topics, written by the receivers and consumed by workers (hookwarden-inbox-kafka). */
        KAFKA
    }

    /** {@code hookwarden.dedupe.jdbc.*}. */
    public static class Jdbc {
        /** The table. Default hookwarden_dedupe. */
        private String table;

        /** Whether to create the table and its index at start-up when they are missing (needs the right to). */
        private boolean initializeSchema;

        /** Creates default settings. */
        public Jdbc() {}

        /** The table. */
        public String getTable() {
            return table;
        }

        /** Sets the table. */
        public void setTable(String table) {
            this.table = table;
        }

        /** Whether to create the table. */
        public boolean isInitializeSchema() {
            return initializeSchema;
        }

        /** Sets whether to create the table. */
        public void setInitializeSchema(boolean initializeSchema) {
            this.initializeSchema = initializeSchema;
        }
    }

    /** {@code hookwarden.dedupe.memory.*}. */
    public static class Memory {
        /** The most deliveries remembered; the oldest are dropped past it. Default 100000. */
        private Integer maximumSize;

        /** Creates default settings. */
        public Memory() {}

        /** The maximum size. */
        public Integer getMaximumSize() {
            return maximumSize;
        }

        /** Sets the maximum size. */
        public void setMaximumSize(Integer maximumSize) {
            this.maximumSize = maximumSize;
        }
    }

    /** The dedupe store kinds. */
    public enum Store {
        /** In this JVM only: right for a single instance. */
        MEMORY,
        /** Redis, shared by every replica (hookwarden-dedupe-redis). */
        REDIS,
        /** A relational database, shared by every replica (hookwarden-dedupe-jdbc). */
        JDBC
    }
}
