package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 17): the source address and forwarded-header parsing, {@link Cidr}, {@link SourceCheck} and
 * {@link PublicUrl}. A range that is not one is refused with {@link IllegalArgumentException} (as the builders
 * document); an address is an IP literal or nothing, never a name to look up; the check never throws on a request;
 * and {@code X-Forwarded-For}, {@code Forwarded} and {@code X-Forwarded-*} change nothing unless the connection comes
 * from a trusted proxy.
 */
class SourceCheckFuzzTest {
    private static final List<String> RANGES =
            List.of("10.0.0.0/8", "192.30.252.0/22", "203.0.113.7", "2a0a:a440::/29", "::1", "0.0.0.0/0", "fd00::/8");

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void checksAnySenderWithoutBelievingUntrustedHeaders(FuzzedDataProvider data) {
        // given
        List<String> allowed = ranges(data);
        List<String> proxies = ranges(data);
        String remote = data.consumeBoolean()
                ? data.pickValue(List.of("10.1.2.3", "203.0.113.7", "::1", "198.51.100.9"))
                : data.consumeString(48);
        WebhookRequest.Builder request = WebhookRequest.builder()
                .url("http://app:8080/hooks?x=" + data.consumeString(16))
                .remoteAddress(data.consumeBoolean() ? null : remote);
        int hops = data.consumeInt(0, 3);
        for (int i = 0; i < hops; i++) {
            request.header(
                    data.pickValue(List.of(
                            "X-Forwarded-For",
                            "Forwarded",
                            "X-Forwarded-Proto",
                            "X-Forwarded-Host",
                            "X-Forwarded-Port")),
                    data.consumeString(64));
        }
        WebhookRequest forwarded = request.build();
        WebhookRequest direct = WebhookRequest.builder()
                .url(forwarded.url().orElse(null))
                .remoteAddress(forwarded.remoteAddress().orElse(null))
                .build();

        // when
        for (String range : allowed) {
            TypedRefusal.check(
                    "Cidr.parse " + range, catchThrowable(() -> Cidr.parse(range)), IllegalArgumentException.class);
        }
        byte[] literal = Cidr.literal(remote);
        SourceCheck check;
        PublicUrl publicUrl;
        try {
            check = SourceCheck.of(allowed, proxies);
            publicUrl = PublicUrl.trusting(proxies.toArray(String[]::new));
        } catch (IllegalArgumentException refused) {
            return; // a range that is not one, or no trusted proxy: refused at build time, as documented
        }
        String refusal = check.refusal(forwarded);
        String url = publicUrl.of(forwarded);

        // then
        assertThat(literal == null || literal.length == 4 || literal.length == 16)
                .isTrue();
        if (!trusted(proxies, forwarded)) {
            assertThat(refusal).as("refusal ignoring forwarded headers").isEqualTo(check.refusal(direct));
            assertThat(url)
                    .as("url ignoring forwarded headers")
                    .isEqualTo(forwarded.url().orElse(null));
        }
        if (forwarded.remoteAddress().isEmpty()) {
            assertThat(refusal).as("an unknown sender").isNotNull();
        }
        assertThat(url)
                .satisfiesAnyOf(
                        u -> assertThat(u).isEqualTo(forwarded.url().orElse(null)),
                        u -> assertThat(u).startsWith("http://"),
                        u -> assertThat(u).startsWith("https://"));
    }

    private static List<String> ranges(FuzzedDataProvider data) {
        List<String> ranges = new ArrayList<>();
        int count = data.consumeInt(0, 3);
        for (int i = 0; i < count; i++) {
            ranges.add(data.consumeBoolean() ? data.pickValue(RANGES) : data.consumeString(48));
        }
        return ranges;
    }

    private static boolean trusted(List<String> proxies, WebhookRequest request) {
        byte[] address = Cidr.literal(request.remoteAddress().orElse(""));
        if (address == null) {
            return false;
        }
        for (String proxy : proxies) {
            if (Cidr.parse(proxy).contains(address)) {
                return true;
            }
        }
        return false;
    }
}
