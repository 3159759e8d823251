package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** DESIGN.md pipeline step 2: the source check, before authentication, with X-Forwarded-For only from trusted proxies. */
class SourceCheckTest {
    private static final String SECRET = "It's a Secret to Everybody";
    private static final String GITHUB_HOOKS = "192.30.252.0/22";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    private final WebhookVerifier verifier = WebhookVerifier.builder()
            .scheme(Schemes.github())
            .secret(SECRET)
            .clock(CLOCK)
            .build();
    private final WebhookSigner signer = WebhookSigner.builder()
            .scheme(Schemes.github())
            .secret(SECRET)
            .clock(CLOCK)
            .build();
    private final AtomicInteger handled = new AtomicInteger();
    private int deliveries;

    private WebhookRequest from(String remote, String... forwardedFor) {
        WebhookRequest.Builder b =
                signer
                        .sign(WebhookMessage.body("{\"n\":" + (deliveries++) + "}")
                                .build())
                        .toBuilder();
        if (remote != null) {
            b.remoteAddress(remote);
        }
        for (String hop : forwardedFor) {
            b.header("X-Forwarded-For", hop);
        }
        return b.build();
    }

    private Outcome receive(WebhookReceiver receiver, WebhookRequest request) {
        Outcome outcome = receiver.receive(request);
        if (outcome instanceof Outcome.Accepted accepted) {
            handled.incrementAndGet();
            accepted.delivery().complete();
        }
        return outcome;
    }

    private WebhookReceiver allowingGithub() {
        return WebhookReceiver.builder()
                .verifier(verifier)
                .allowedSources(GITHUB_HOOKS)
                .build();
    }

    private WebhookReceiver allowingGithubBehind(String proxies) {
        return WebhookReceiver.builder()
                .verifier(verifier)
                .allowedSources(GITHUB_HOOKS, "2a0a:a440::/29")
                .trustedProxies(proxies)
                .build();
    }

    private static Reason reason(Outcome outcome) {
        return outcome instanceof Outcome.Rejected r ? r.reason() : null;
    }

    @Test
    void aSenderInsideTheAllowlistIsVerifiedAndProcessed() {
        Outcome outcome = receive(allowingGithub(), from("192.30.253.17"));

        assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        assertThat(handled).hasValue(1);
    }

    @Test
    void aSenderOutsideTheAllowlistIsRefusedWith403BeforeItsSignatureIsLookedAt() {
        WebhookRequest forgedFromElsewhere = from("203.0.113.9").toBuilder()
                .header("X-Hub-Signature-256", "sha256=00")
                .build();

        Outcome outcome = receive(allowingGithub(), forgedFromElsewhere);

        assertThat(reason(outcome)).isEqualTo(Reason.SOURCE_NOT_ALLOWED);
        assertThat(outcome.answer().status()).isEqualTo(403);
        assertThat(outcome.answer().bodyText()).contains("SOURCE_NOT_ALLOWED").doesNotContain("203.0.113.9");
        assertThat(((Outcome.Rejected) outcome).detail()).contains("203.0.113.9");
        assertThat(handled).hasValue(0);
    }

    @Test
    void aRequestWhoseAddressIsUnknownIsRefused() {
        assertThat(reason(receive(allowingGithub(), from(null)))).isEqualTo(Reason.SOURCE_NOT_ALLOWED);
        assertThat(reason(receive(allowingGithub(), from("not-an-address")))).isEqualTo(Reason.SOURCE_NOT_ALLOWED);
    }

    @Test
    void forwardedForFromAnUntrustedConnectionIsIgnored() {
        Outcome outcome = receive(allowingGithub(), from("203.0.113.9", "192.30.252.1"));

        assertThat(reason(outcome)).isEqualTo(Reason.SOURCE_NOT_ALLOWED);
    }

    @Test
    void behindATrustedProxyTheNearestUntrustedHopIsTheSender() {
        WebhookReceiver receiver = allowingGithubBehind("10.0.0.0/8");

        Outcome direct = receive(receiver, from("10.0.0.5", "192.30.252.1"));
        Outcome throughTwoProxies = receive(receiver, from("10.0.0.5", "192.30.252.1, 10.0.0.9"));
        Outcome asSeparateHeaders = receive(receiver, from("10.0.0.5", "192.30.252.1", "10.1.2.3"));

        assertThat(direct).isInstanceOf(Outcome.Accepted.class);
        assertThat(throughTwoProxies).isInstanceOf(Outcome.Accepted.class);
        assertThat(asSeparateHeaders).isInstanceOf(Outcome.Accepted.class);
        assertThat(handled).hasValue(3);
    }

    @Test
    void aClientCannotPrependAnAllowedAddressToTheHeaderItSends() {
        WebhookReceiver receiver = allowingGithubBehind("10.0.0.0/8");

        Outcome spoofed = receive(receiver, from("10.0.0.5", "192.30.252.1, 198.51.100.7"));

        assertThat(reason(spoofed)).isEqualTo(Reason.SOURCE_NOT_ALLOWED);
        assertThat(((Outcome.Rejected) spoofed).detail()).contains("198.51.100.7");
    }

    @Test
    void junkInTheHeaderOfATrustedProxyIsRefusedNotSkipped() {
        Outcome outcome = receive(allowingGithubBehind("10.0.0.0/8"), from("10.0.0.5", "192.30.252.1, unknown"));

        assertThat(reason(outcome)).isEqualTo(Reason.SOURCE_NOT_ALLOWED);
    }

    @Test
    void ipv6SendersAndRangesWork() {
        WebhookReceiver receiver = allowingGithubBehind("fd00::/8");

        assertThat(receive(receiver, from("2a0a:a440::1"))).isInstanceOf(Outcome.Accepted.class);
        assertThat(receive(receiver, from("fd00::2", "2a0a:a447:ffff::9"))).isInstanceOf(Outcome.Accepted.class);
        assertThat(reason(receive(receiver, from("2001:db8::1")))).isEqualTo(Reason.SOURCE_NOT_ALLOWED);
    }

    @Test
    void aBadRangeIsRefusedAtBuildNamingIt() {
        assertThatThrownBy(() -> WebhookReceiver.builder().allowedSources("192.30.252.0/40"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("allowed source must be an IP address or CIDR range but was 192.30.252.0/40");
        assertThatThrownBy(() -> WebhookReceiver.builder().trustedProxies("proxy.internal"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trusted proxy must be an IP address or CIDR range but was proxy.internal");
        assertThatThrownBy(() -> WebhookReceiver.builder().allowedSources())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookReceiver.builder().allowedSources("10.0.0.1", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("allowed source cannot be null");
    }

    @Test
    void trustedProxiesWithoutAnAllowlistIsAConfigurationMistake() {
        assertThatThrownBy(() -> WebhookReceiver.builder()
                        .verifier(verifier)
                        .trustedProxies("10.0.0.0/8")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("trustedProxies needs allowedSources to check");
    }

    @Test
    void withoutAnAllowlistEveryAddressPasses() {
        WebhookReceiver receiver = WebhookReceiver.builder().verifier(verifier).build();

        assertThat(receive(receiver, from(null))).isInstanceOf(Outcome.Accepted.class);
        assertThat(receive(receiver, from("203.0.113.9"))).isInstanceOf(Outcome.Accepted.class);
    }
}
