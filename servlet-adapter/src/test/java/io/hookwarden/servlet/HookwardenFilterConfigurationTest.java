package io.hookwarden.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.DedupeStore;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Configuring the filter: the builder in code, and the init parameters a container passes from {@code web.xml}. */
class HookwardenFilterConfigurationTest {
    private static final String STRIPE_SECRET = "whsec_stripe_test_0123456789abcdefghij";
    private static final String GITHUB_SECRET = "github-secret-0123456789";
    private static final String ROTATED_SECRET = "whsec_stripe_rotated_0123456789abcdefg";

    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    @BeforeEach
    void setSecrets() {
        System.setProperty("test.hookwarden.stripe", STRIPE_SECRET);
        System.setProperty("test.hookwarden.stripe.old", ROTATED_SECRET);
        System.setProperty("test.hookwarden.github", GITHUB_SECRET);
    }

    @AfterEach
    void clearSecrets() {
        System.clearProperty("test.hookwarden.stripe");
        System.clearProperty("test.hookwarden.stripe.old");
        System.clearProperty("test.hookwarden.github");
    }

    private static WebhookReceiver receiver() {
        return WebhookReceiver.builder()
                .verifier(WebhookVerifier.builder()
                        .scheme(Schemes.stripe())
                        .secret(STRIPE_SECRET)
                        .build())
                .build();
    }

    private FilterConfig config() {
        ServletContext context = (ServletContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServletContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getAttribute")) {
                        return attributes.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new FilterConfig() {
            @Override
            public String getFilterName() {
                return "hookwarden";
            }

            @Override
            public ServletContext getServletContext() {
                return context;
            }

            @Override
            public String getInitParameter(String name) {
                return params.get(name);
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(params.keySet());
            }
        };
    }

    private HookwardenFilter initialised() throws ServletException {
        HookwardenFilter filter = new HookwardenFilter();
        filter.init(config());
        return filter;
    }

    private void twoEndpoints() {
        params.put("hookwarden.endpoints", "stripe, github");
        params.put("hookwarden.stripe.path", "/webhooks/stripe");
        params.put("hookwarden.stripe.scheme", "stripe");
        params.put("hookwarden.stripe.secret-property", "test.hookwarden.stripe, test.hookwarden.stripe.old");
        params.put("hookwarden.stripe.tolerance", "PT3M");
        params.put("hookwarden.stripe.max-body-bytes", "65536");
        params.put("hookwarden.github.path", "/webhooks/github");
        params.put("hookwarden.github.scheme", "github");
        params.put("hookwarden.github.secret-property", "test.hookwarden.github");
    }

    // ---- builder

    @Test
    void buildsAFilterServingSeveralEndpoints() {
        WebhookReceiver stripe = receiver();
        WebhookReceiver github = receiver();

        HookwardenFilter filter = HookwardenFilter.builder()
                .endpoint("/webhooks/stripe", stripe)
                .endpoint("/webhooks/github", github)
                .build();

        assertThat(filter.endpoints())
                .containsOnly(Map.entry("/webhooks/stripe", stripe), Map.entry("/webhooks/github", github));
    }

    @Test
    void refusesTwoEndpointsOnOnePath() {
        HookwardenFilter.Builder builder = HookwardenFilter.builder().endpoint("/webhooks/a", receiver());

        assertThatThrownBy(() -> builder.endpoint("/webhooks/a", receiver()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("path /webhooks/a already has an endpoint");
    }

    @Test
    void refusesAPathWithoutLeadingSlashEchoingIt() {
        assertThatThrownBy(() -> HookwardenFilter.builder().endpoint("webhooks/a", receiver()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path must start with '/' but was webhooks/a");
    }

    @Test
    void refusesNullPathAndReceiver() {
        assertThatThrownBy(() -> HookwardenFilter.builder().endpoint(null, receiver()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("path cannot be null");
        assertThatThrownBy(() -> HookwardenFilter.builder().endpoint("/a", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("receiver cannot be null");
    }

    @Test
    void refusesAFilterWithoutEndpoints() {
        assertThatThrownBy(() -> HookwardenFilter.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("at least one endpoint is required");
    }

    @Test
    void aFilterBuiltInCodeRefusesInitParametersThatWouldConfigureItTwice() {
        HookwardenFilter filter =
                HookwardenFilter.builder().endpoint("/webhooks/a", receiver()).build();
        params.put("hookwarden.endpoints", "a");

        assertThatThrownBy(() -> filter.init(config()))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("remove its hookwarden.* init parameters");
    }

    @Test
    void aFilterBuiltInCodeIgnoresOtherInitParameters() throws ServletException {
        WebhookReceiver receiver = receiver();
        HookwardenFilter filter =
                HookwardenFilter.builder().endpoint("/webhooks/a", receiver).build();
        params.put("something.else", "1");

        filter.init(config());

        assertThat(filter.endpoints()).containsExactly(Map.entry("/webhooks/a", receiver));
    }

    // ---- init parameters

    @Test
    void readsEndpointsSchemesSecretsToleranceAndBodyLimitFromInitParameters() throws ServletException {
        // given
        twoEndpoints();

        // when
        HookwardenFilter filter = initialised();

        // then
        assertThat(filter.endpoints()).containsOnlyKeys("/webhooks/stripe", "/webhooks/github");
        WebhookReceiver stripe = filter.endpoints().get("/webhooks/stripe");
        assertThat(stripe.name()).isEqualTo("stripe");
        assertThat(stripe.verifier().scheme().id()).isEqualTo("stripe");
        assertThat(stripe.verifier().maxBodyBytes()).isEqualTo(65536);
        assertThat(stripe.verifier().toString()).contains("keys=[key-1, key-2]").contains("maxAge=PT3M");
        WebhookReceiver github = filter.endpoints().get("/webhooks/github");
        assertThat(github.verifier().scheme().id()).isEqualTo("github");
        assertThat(github.verifier().maxBodyBytes()).isEqualTo(WebhookVerifier.DEFAULT_MAX_BODY_BYTES);
        assertThat(github.dedupeStore()).isSameAs(stripe.dedupeStore());
    }

    @Test
    void takesTheDedupeStoreFromAServletContextAttribute() throws ServletException {
        // given
        twoEndpoints();
        DedupeStore store = InMemoryDedupeStore.create();
        attributes.put("com.example.dedupe", store);
        params.put("hookwarden.dedupe-store", "com.example.dedupe");

        // when
        HookwardenFilter filter = initialised();

        // then
        assertThat(filter.endpoints().values())
                .allSatisfy(r -> assertThat(r.dedupeStore()).isSameAs(store));
    }

    @Test
    void refusesADedupeStoreAttributeThatHoldsNoStore() {
        twoEndpoints();
        params.put("hookwarden.dedupe-store", "com.example.missing");

        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("servlet context attribute com.example.missing")
                .hasMessageContaining("holds nothing");
    }

    @Test
    void refusesAMissingEndpointList() {
        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessage("filter hookwarden: init parameter hookwarden.endpoints is required: name the endpoints");
    }

    @Test
    void refusesAnUnknownHookwardenParameterSoATypoFailsAtStartUp() {
        twoEndpoints();
        params.put("hookwarden.stripe.secert-env", "STRIPE");

        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("unknown init parameter hookwarden.stripe.secert-env");
    }

    @Test
    void refusesAnEndpointWithoutAPath() {
        twoEndpoints();
        params.remove("hookwarden.github.path");

        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("init parameter hookwarden.github.path is required");
    }

    @Test
    void refusesAnUnknownSchemeListingTheKnownOnes() {
        twoEndpoints();
        params.put("hookwarden.github.scheme", "gitlub");

        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("unknown scheme gitlub")
                .hasMessageContaining("github");
    }

    @Test
    void refusesAnEndpointWithBothOrNeitherSecretSource() {
        twoEndpoints();
        params.put("hookwarden.github.secret-env", "GITHUB_SECRET");

        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("needs exactly one of hookwarden.github.secret-env and");

        params.remove("hookwarden.github.secret-env");
        params.remove("hookwarden.github.secret-property");
        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("needs exactly one of hookwarden.github.secret-env and");
    }

    @Test
    void refusesASecretSourceThatIsNotSetNamingTheVariableNeverAValue() {
        twoEndpoints();
        params.put("hookwarden.github.secret-property", "test.hookwarden.unset");

        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining(
                        "system property 'test.hookwarden.unset' named by hookwarden.github.secret-property"
                                + " is not set or is empty");
    }

    @Test
    void refusesASecretTheSchemeRejectsWithoutEchoingIt() {
        twoEndpoints();
        System.setProperty("test.hookwarden.github", "q7Zx2");

        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("key-1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("q7Zx2"));
    }

    @Test
    void refusesABadToleranceAndBodyLimitEchoingThem() {
        twoEndpoints();
        params.put("hookwarden.stripe.tolerance", "5 minutes");
        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining(
                        "hookwarden.stripe.tolerance must be an ISO-8601 duration such as PT5M but was 5 minutes");

        params.put("hookwarden.stripe.tolerance", "PT5M");
        params.put("hookwarden.stripe.max-body-bytes", "1MB");
        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("hookwarden.stripe.max-body-bytes must be a number of bytes but was 1MB");

        params.put("hookwarden.stripe.max-body-bytes", "-1");
        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("maxBodyBytes must be positive but was -1");
    }

    @Test
    void refusesTwoEndpointsOnOnePathAndANameGivenTwice() {
        twoEndpoints();
        params.put("hookwarden.github.path", "/webhooks/stripe");
        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("path /webhooks/stripe of endpoint github already has an endpoint");

        params.put("hookwarden.endpoints", "stripe, stripe");
        assertThatThrownBy(this::initialised)
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("hookwarden.endpoints names stripe twice");
    }
}
