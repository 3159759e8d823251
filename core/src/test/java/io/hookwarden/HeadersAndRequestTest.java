package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Headers (case-insensitive names, several values in order, immutable) and requests (bodies copied in and out). */
class HeadersAndRequestTest {

    // ---- Headers

    @Test
    void findsHeadersWhateverTheCaseOfTheName() {
        // given
        Headers headers = Headers.builder().add("Stripe-Signature", "t=1,v1=ab").build();

        // when / then
        assertThat(headers.first("stripe-signature")).contains("t=1,v1=ab");
        assertThat(headers.all("STRIPE-SIGNATURE")).containsExactly("t=1,v1=ab");
        assertThat(headers.contains("sTrIpE-sIgNaTuRe")).isTrue();
    }

    @Test
    void foldsTheCaseOfLettersOnlyAtEveryPositionOfTheName() {
        // given: each char of the name with bit 0x20 flipped, which changes a letter's case and any other char's
        // identity
        String name = "Webhook-Id_2";
        for (int i = 0; i < name.length(); i++) {
            char[] chars = name.toCharArray();
            chars[i] ^= 0x20;
            String flipped = new String(chars);
            Headers headers = Headers.builder().add(flipped, "v").build();

            // when / then
            assertThat(headers.contains(name))
                    .as("%s against %s", flipped, name)
                    .isEqualTo(Character.isLetter(name.charAt(i)));
        }
    }

    @Test
    void keepsEveryValueOfARepeatedHeaderInTheOrderReceived() {
        // given
        Headers headers = Headers.builder()
                .add("X-Forwarded-For", "10.0.0.1")
                .add("Accept", "*/*")
                .add("x-forwarded-for", "10.0.0.2")
                .add("X-FORWARDED-FOR", "10.0.0.3")
                .build();

        // when / then
        assertThat(headers.all("X-Forwarded-For")).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
        assertThat(headers.first("x-forwarded-for")).contains("10.0.0.1");
        assertThat(headers.size()).isEqualTo(2);
        assertThat(headers.names()).containsExactly("X-Forwarded-For", "Accept");
    }

    @Test
    void namesAndMapKeepTheOrderTheHeadersWereFirstGivenIn() {
        // given
        List<String> names = List.of("Zeta", "alpha", "Mu", "beta", "Omega", "gamma", "Delta", "epsilon", "Kappa");
        Headers.Builder builder = Headers.builder();
        names.forEach(name -> builder.add(name, "v-" + name));

        // when
        Headers headers = builder.build();

        // then
        assertThat(headers.names()).containsExactlyElementsOf(names);
        assertThat(headers.toMap().keySet()).containsExactlyElementsOf(names);
        assertThat(headers.toBuilder().build().names()).containsExactlyElementsOf(names);
    }

    @Test
    void reportsAnAbsentHeaderAsEmpty() {
        // given
        Headers headers = Headers.builder().add("A", "1").build();

        // when / then
        assertThat(headers.first("B")).isEmpty();
        assertThat(headers.all("B")).isEmpty();
        assertThat(headers.contains("B")).isFalse();
        assertThat(Headers.empty().size()).isZero();
        assertThat(Headers.builder().build()).isSameAs(Headers.empty());
    }

    @Test
    void setReplacesEveryValueAndRemoveIgnoresCase() {
        // given
        Headers.Builder builder =
                Headers.builder().add("X-Id", "1").add("x-id", "2").add("Other", "o");

        // when
        Headers replaced = builder.set("X-ID", "3").build();
        Headers removed = builder.remove("OTHER").build();

        // then
        assertThat(replaced.all("x-id")).containsExactly("3");
        assertThat(replaced.names()).containsExactlyInAnyOrder("X-ID", "Other");
        assertThat(removed.contains("Other")).isFalse();
        assertThat(removed.all("X-Id")).containsExactly("3");
    }

    @Test
    void mergesMapEntriesWhoseNamesDifferOnlyInCase() {
        // given
        Map<String, List<String>> map = new LinkedHashMap<>();
        map.put("Webhook-Id", List.of("a"));
        map.put("webhook-id", List.of("b", "c"));

        // when
        Headers headers = Headers.of(map);

        // then
        assertThat(headers.all("WEBHOOK-ID")).containsExactly("a", "b", "c");
        assertThat(headers.toMap()).containsOnlyKeys("Webhook-Id");
    }

    @Test
    void comparesHeadersIgnoringTheCaseOfNames() {
        // given
        Headers upper = Headers.builder().add("X-A", "1").add("X-B", "2").build();
        Headers lower = Headers.builder().add("x-a", "1").add("x-b", "2").build();
        Headers otherValue = Headers.builder().add("x-a", "1").add("x-b", "3").build();

        // when / then
        assertThat(upper).isEqualTo(lower).hasSameHashCodeAs(lower).isNotEqualTo(otherValue);
    }

    @Test
    void foldsTheCaseOfAsciiLettersOnlySoNoOtherCharacterAliasesAName() {
        // given: the Kelvin sign lower-cases to "k" in Unicode, and the dotted capital I to "i"
        Headers headers = Headers.builder()
                .add("\u212Aey", "kelvin")
                .add("L\u0130NK", "dotted")
                .add("X-[", "bracket")
                .build();

        // when / then
        assertThat(headers.first("key")).isEmpty();
        assertThat(headers.first("link")).isEmpty();
        assertThat(headers.first("x-{"))
                .as("'[' and '{' differ by the case bit but are not letters")
                .isEmpty();
        assertThat(headers.first("\u212AEY")).contains("kelvin");
        assertThat(headers.first("l\u0130nk")).contains("dotted");
        assertThat(headers.size()).isEqualTo(3);
    }

    @Test
    void builtHeadersNeitherChangeWithTheirBuilderNorCanBeModified() {
        // given
        Headers.Builder builder = Headers.builder().add("A", "1");
        Headers headers = builder.build();

        // when
        builder.add("A", "2").add("B", "3");

        // then
        assertThat(headers.all("A")).containsExactly("1");
        assertThat(headers.contains("B")).isFalse();
        assertThatThrownBy(() -> headers.all("A").add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> headers.toMap().put("C", List.of())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aBuilderChangedAfterBuildingLeavesEveryHeadersItBuiltAlone() {
        // given
        Headers.Builder builder = Headers.builder().add("A", "1").add("B", "2").add("B", "3");
        Headers first = builder.build();
        Headers again = builder.build();

        // when
        builder.add("A", "4").add("B", "5").remove("b").set("C", "6");
        Headers second = builder.build();
        builder.add("C", "7");

        // then
        assertThat(again).isEqualTo(first);
        assertThat(first.toMap()).isEqualTo(Map.of("A", List.of("1"), "B", List.of("2", "3")));
        assertThat(second.toMap()).isEqualTo(Map.of("A", List.of("1", "4"), "C", List.of("6")));
        assertThat(builder.build().all("c")).containsExactly("6", "7");
        assertThatThrownBy(() -> first.all("B").add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> second.all("A").add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aBuilderFromHeadersLeavesThemAloneWhenChanged() {
        // given
        Headers original = Headers.builder().add("X-A", "1").add("X-B", "2").build();

        // when
        Headers same = original.toBuilder().build();
        Headers added = original.toBuilder().add("x-a", "3").build();
        Headers removed = original.toBuilder().remove("X-B").build();

        // then
        assertThat(same).isEqualTo(original);
        assertThat(added.all("X-A")).containsExactly("1", "3");
        assertThat(removed.names()).containsExactly("X-A");
        assertThat(original.all("X-A")).containsExactly("1");
        assertThat(original.names()).containsExactly("X-A", "X-B");
    }

    @Test
    void commonHeaderNamesAreFoundInAnyCaseAndKeepTheSpellingFirstGiven() {
        // given
        Headers headers = Headers.builder()
                .add("Content-Type", "application/json")
                .add("content-type", "text/plain")
                .add("HOST", "example.com")
                .add("Host", "example.org")
                .build();

        // when / then
        assertThat(headers.all("CONTENT-TYPE")).containsExactly("application/json", "text/plain");
        assertThat(headers.first("host")).contains("example.com");
        assertThat(headers.all("Host")).containsExactly("example.com", "example.org");
        assertThat(headers.names()).containsExactly("Content-Type", "HOST");
    }

    @Test
    void refusesNullsAndEmptyNames() {
        assertThatThrownBy(() -> Headers.builder().add("", "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name cannot be empty");
        assertThatThrownBy(() -> Headers.builder().add(null, "v"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("header name cannot be null");
        assertThatThrownBy(() -> Headers.builder().add("X-A", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("value of header X-A cannot be null");
        Map<String, List<String>> withNull = new LinkedHashMap<>();
        withNull.put("X-B", null);
        assertThatThrownBy(() -> Headers.of(withNull))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("values of header X-B cannot be null");
    }

    @Test
    void showsNamesButNeverValues() {
        // given
        Headers headers = Headers.builder()
                .add("Authorization", "Bearer sk_live_secret")
                .add("X-Hub-Signature-256", "sha256=deadbeef")
                .build();

        // when
        String shown = headers.toString();

        // then
        assertThat(shown)
                .isEqualTo("Headers[Authorization, X-Hub-Signature-256]")
                .doesNotContain("sk_live_secret", "deadbeef");
    }

    // ---- WebhookRequest

    @Test
    void copiesTheBodyIn() {
        // given
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        WebhookRequest request = WebhookRequest.builder().body(body).build();

        // when
        body[0] = 'X';

        // then
        assertThat(request.body()).asString(StandardCharsets.UTF_8).isEqualTo("{\"a\":1}");
    }

    @Test
    void wrapBodyTakesTheArrayOverAndTheRequestStillCopiesItOut() {
        // given
        byte[] read = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

        // when
        WebhookRequest request = WebhookRequest.builder().wrapBody(read).build();
        byte[] out = request.body();
        out[0] = 'X';

        // then
        assertThat(out).isNotSameAs(read);
        assertThat(request.body()).asString(StandardCharsets.UTF_8).isEqualTo("{\"a\":1}");
        assertThat(request).isEqualTo(WebhookRequest.builder().body("{\"a\":1}").build());
        assertThatThrownBy(() -> WebhookRequest.builder().wrapBody(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("body cannot be null");
    }

    @Test
    void copiesTheBodyOut() {
        // given
        WebhookRequest request = WebhookRequest.builder().body("{\"a\":1}").build();

        // when
        request.body()[0] = 'X';

        // then
        assertThat(request.body()).asString(StandardCharsets.UTF_8).isEqualTo("{\"a\":1}");
        assertThat(request.bodyLength()).isEqualTo(7);
    }

    @Test
    void messagesAndVerifiedWebhooksCopyTheirBodiesToo() {
        // given
        byte[] body = "{\"id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);
        WebhookMessage message = WebhookMessage.body(body).build();
        body[0] = 'X';
        message.body()[1] = 'Y';
        WebhookRequest request =
                SchemeCase.STRIPE.signer("whsec_test_secret_1234567890").sign(message);
        VerifiedWebhook webhook = SchemeCase.STRIPE.sampleVerifier().verify(request);

        // when
        webhook.body()[0] = 'Z';

        // then
        assertThat(webhook.bodyText()).isEqualTo("{\"id\":\"evt_1\"}");
        assertThat(webhook.id()).contains("evt_1");
    }

    @Test
    void keepsTheMethodUpperCaseAndPostByDefault() {
        assertThat(WebhookRequest.builder().build().method()).isEqualTo("POST");
        assertThat(WebhookRequest.builder().method("put").build().method()).isEqualTo("PUT");
        assertThatThrownBy(() -> WebhookRequest.builder().method(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("method cannot be blank");
        assertThatThrownBy(() -> WebhookRequest.builder().method(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("method cannot be null");
        assertThatThrownBy(() -> WebhookRequest.builder().body((byte[]) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("body cannot be null");
    }

    @Test
    void toBuilderCopiesEverythingAndLeavesTheOriginalAlone() {
        // given
        WebhookRequest original = WebhookRequest.builder()
                .method("POST")
                .url("https://example.com/hooks")
                .header("X-A", "1")
                .body("body")
                .remoteAddress("192.0.2.7")
                .build();

        // when
        WebhookRequest copy = original.toBuilder().build();
        WebhookRequest changed = original.toBuilder().header("X-A", "2").build();

        // then
        assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original);
        assertThat(copy.remoteAddress()).contains("192.0.2.7");
        assertThat(copy.url()).contains("https://example.com/hooks");
        assertThat(changed.headers().all("X-A")).containsExactly("1", "2");
        assertThat(original.headers().all("X-A")).containsExactly("1");
        assertThat(changed).isNotEqualTo(original);
    }

    @Test
    void requestsWithDifferentBodiesAreNotEqual() {
        // given
        WebhookRequest a = WebhookRequest.builder().body("a").build();
        WebhookRequest b = WebhookRequest.builder().body("b").build();

        // when / then
        assertThat(a)
                .isNotEqualTo(b)
                .isEqualTo(WebhookRequest.builder().body("a").build());
    }

    @Test
    void headersAddedToARequestKeepEveryValue() {
        // given
        Headers signed = Headers.builder().add("X-Sig", "s1").add("x-sig", "s2").build();

        // when
        WebhookRequest request =
                WebhookRequest.builder().headers(signed).header("X-SIG", "s3").build();

        // then
        assertThat(request.headers().all("x-sig")).containsExactly("s1", "s2", "s3");
        assertThat(signed.all("x-sig")).containsExactly("s1", "s2");
    }

    @Test
    void showsMethodUrlHeaderNamesAndLengthButNeverValuesOrBody() {
        // given
        WebhookRequest request = WebhookRequest.builder()
                .url("https://example.com/hooks")
                .header("X-Hub-Signature-256", "sha256=cafebabe")
                .body("{\"card\":\"4242424242424242\"}")
                .build();

        // when
        String shown = request.toString();

        // then
        assertThat(shown)
                .isEqualTo("WebhookRequest[POST https://example.com/hooks, Headers[X-Hub-Signature-256], 27 bytes]")
                .doesNotContain("cafebabe", "4242");
        assertThat(WebhookRequest.builder().build().toString()).contains("(no url)");
    }

    @Test
    void messageShowsIdAndLengthButNeverTheBody() {
        // given
        WebhookMessage message =
                WebhookMessage.body("secret-payload").id("msg_1").build();

        // when
        String shown = message.toString();

        // then
        assertThat(shown).contains("msg_1", "14 bytes").doesNotContain("secret-payload");
    }
}
