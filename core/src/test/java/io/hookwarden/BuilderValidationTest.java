package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fail fast at build time, echoing the bad value but never a secret: key sets, secrets per scheme, options set
 * twice or in conflict, durations and sizes; and {@code toString()}s free of secrets, signatures and body content.
 */
class BuilderValidationTest {

    // ---- key sets

    @Test
    void refusesAnEmptyKeySet() {
        assertThatThrownBy(Keys::of)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keys cannot be empty: give at least one secret");
        assertThatThrownBy(() -> Keys.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys cannot be empty");
        assertThatThrownBy(() -> Keys.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys cannot be empty");
    }

    @Test
    void keysFromAListAreLabelledInTheirOrder() {
        // given
        List<String> secrets = List.of("first-secret-value", "second-secret-value");

        // when
        Keys keys = Keys.of(secrets);

        // then
        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.labels()).containsExactly("key-1", "key-2");
    }

    @Test
    void refusesALabelUsedTwiceWithoutNamingEitherSecret() {
        // given
        Keys.Builder keys = Keys.builder().add("current", "first-secret-value");

        // when
        Throwable e = catchThrowable(() -> keys.add("current", "second-secret-value"));

        // then
        assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessage("label current is used twice");
    }

    @Test
    void refusesABlankLabelAndANullSecret() {
        assertThatThrownBy(() -> Keys.builder().add(" ", "some-secret-value"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label cannot be blank");
        assertThatThrownBy(() -> Keys.of("valid-secret-value", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("secret key-2 cannot be null");
    }

    @Test
    void refusesAVerifierWithoutSchemeOrKeys() {
        assertThatThrownBy(() ->
                        WebhookVerifier.builder().secret("some-secret-value").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("scheme must be set");
        assertThatThrownBy(
                        () -> WebhookVerifier.builder().scheme(Schemes.github()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keys must be set");
        assertThatThrownBy(() ->
                        WebhookSigner.builder().secret("some-secret-value").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("scheme must be set");
        assertThatThrownBy(
                        () -> WebhookSigner.builder().scheme(Schemes.github()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("secret must be set");
    }

    // ---- secrets, per scheme

    /** For every scheme, secrets refused at build time and what the message must say. */
    static Stream<Arguments> badSecrets() {
        String whsec15 = "whsec_" + Base64.getEncoder().encodeToString(bytes(15));
        return Stream.of(
                bad(SchemeCase.STANDARD_WEBHOOKS, "", "is empty"),
                bad(SchemeCase.STANDARD_WEBHOOKS, " whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "leading or trailing"),
                bad(SchemeCase.STANDARD_WEBHOOKS, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", "leading or trailing"),
                bad(SchemeCase.STANDARD_WEBHOOKS, whsec15, "too short: 15 bytes, at least 16"),
                bad(SchemeCase.STANDARD_WEBHOOKS, "whsec_", "too short: 0 bytes"),
                bad(SchemeCase.STANDARD_WEBHOOKS, "whsec_not*base64!", "is not valid base64"),
                bad(SchemeCase.STANDARD_WEBHOOKS, "whsec_MfKQ9r8G KYqrTwjUPD8ILPZIo2LaLaSw", "is not valid base64"),
                bad(SchemeCase.STANDARD_WEBHOOKS, "whsk_" + b64(bytes(64)), "whsk_ private key"),
                bad(SchemeCase.STANDARD_WEBHOOKS, "whpk_@@@", "not valid base64 after the whpk_ prefix"),
                bad(SchemeCase.STANDARD_WEBHOOKS, "whpk_", "not valid base64 after the whpk_ prefix"),
                bad(SchemeCase.STANDARD_WEBHOOKS, "whpk_" + b64(bytes(16)), "not an Ed25519 public key"),
                bad(SchemeCase.STANDARD_WEBHOOKS, "whpk_" + b64(notAPoint()), "not a valid Ed25519 public key"),
                bad(SchemeCase.STANDARD_WEBHOOKS, "whpk_" + b64(bytes(44)), "not an Ed25519 public key"),
                bad(SchemeCase.SVIX, "whsec_***", "is not valid base64"),
                bad(SchemeCase.SVIX, "", "is empty"),
                bad(SchemeCase.STRIPE, "", "is empty"),
                bad(SchemeCase.STRIPE, "whsec_1", "too short: 7 bytes, at least 8"),
                bad(SchemeCase.STRIPE, "whsec_test_secret_1234567890 ", "leading or trailing"),
                bad(SchemeCase.GITHUB, "", "is empty"),
                bad(SchemeCase.GITHUB, "tiny", "too short: 4 bytes, at least 8"),
                bad(SchemeCase.GITHUB, "\tIt's a Secret to Everybody", "leading or trailing"),
                bad(SchemeCase.SLACK, "", "is empty"),
                bad(SchemeCase.SLACK, "1234567", "too short: 7 bytes"),
                bad(SchemeCase.GENERIC_ID_TIMESTAMP_BODY, "seven77", "too short: 7 bytes"),
                bad(SchemeCase.GENERIC_URL, "00112233445566", "too short: 7 bytes, at least 8"),
                bad(SchemeCase.GENERIC_URL, "0011223344556677x", "is not valid hex"),
                bad(SchemeCase.GENERIC_URL, "zz11223344556677", "is not valid hex"),
                bad(
                        SchemeCase.GENERIC_URL,
                        "\u0660\u0660\u0661\u0661\u0662\u0662\u0663\u0663\u0664\u0664\u0665\u0665\u0666\u0666\u0667\u0667",
                        "is not valid hex"),
                bad(SchemeCase.GENERIC_URL, "\uff10\uff10".repeat(8), "is not valid hex"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSecrets")
    void refusesABadSecretWhenTheVerifierIsBuiltWithoutEchoingIt(SchemeCase c, String secret, String problem) {
        // when
        Throwable e = catchThrowable(() -> WebhookVerifier.builder()
                .scheme(c.scheme())
                .keys(Keys.builder().add("primary", secret).build())
                .build());

        // then
        assertThat(e).isExactlyInstanceOf(InvalidSecretException.class);
        assertThat(((InvalidSecretException) e).label()).isEqualTo("primary");
        assertThat(e.getMessage()).contains("primary", c.scheme().id(), problem);
        if (secret.strip().length() >= 7) { // shorter ones are bare prefixes such as whpk_
            assertThat(e.getMessage()).doesNotContain(secret).doesNotContain(secret.strip());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "${STRIPE_WEBHOOK_SECRET}",
                "#{environment['GITHUB_SECRET']}",
                "whsec_${SECRET}",
                "prefix-${HOOKWARDEN_SECRET:}-suffix"
            })
    void refusesAnUnresolvedPlaceholderAsASecretNamingTheKeyNotTheValue(String placeholder) {
        // given: issue 12, Spring binds ${VAR} literally when VAR is unset, and the text passes the length check
        for (Scheme scheme : List.of(Schemes.stripe(), Schemes.github(), Schemes.byId("gitlab"))) {
            // when
            Throwable e = catchThrowable(() -> WebhookVerifier.builder()
                    .scheme(scheme)
                    .keys(Keys.builder().add("primary", placeholder).build())
                    .build());

            // then
            assertThat(e).isExactlyInstanceOf(InvalidSecretException.class);
            assertThat(e.getMessage())
                    .contains("secret primary", scheme.id(), "unresolved placeholder")
                    .doesNotContain(placeholder);
        }
    }

    @Test
    void aShortLegacySecretIsAcceptedOnlyWhenTheKeySetAllowsItWithAWarningNamingTheKey() {
        // given: a GitHub endpoint whose owner typed a four-character secret years ago
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(Keys.class.getName());
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(capture);
        try {
            // when
            WebhookVerifier allowed = WebhookVerifier.builder()
                    .scheme(Schemes.github())
                    .keys(Keys.builder()
                            .add("legacy", "tiny")
                            .allowWeakSecrets()
                            .build())
                    .build();
            WebhookRequest signed = WebhookSigner.builder()
                    .scheme(Schemes.github())
                    .secret("tiny")
                    .allowWeakSecret()
                    .build()
                    .sign(WebhookMessage.body("{}").build());

            // then: it verifies; the warning names the label and never the secret; without the opt-in it is refused
            assertThat(allowed.verify(signed).matchedKey()).isEqualTo("legacy");
            List<String> messages = records.stream()
                    .map(java.util.logging.LogRecord::getMessage)
                    .toList();
            assertThat(messages)
                    .filteredOn(m -> m.contains("secret legacy"))
                    .containsExactly("secret legacy for scheme github is 4 bytes, under the minimum of 8; accepted"
                            + " because the key set allows weak secrets: replace it with a longer one");
            assertThat(messages).isNotEmpty().noneMatch(m -> m.contains("tiny"));
            assertThatThrownBy(() -> WebhookVerifier.builder()
                            .scheme(Schemes.github())
                            .keys(Keys.builder().add("legacy", "tiny").build())
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("too short");
        } finally {
            jul.removeHandler(capture);
        }
    }

    @Test
    void allowingWeakSecretsStillRefusesEmptySecretsPlaceholdersAndInvalidPublicKeys() {
        for (String[] schemeAndSecret :
                new String[][] {{"standard-webhooks", "whsec_"}, {"github", "${GITHUB_SECRET}"}, {"discord", "abcd"}}) {
            assertThatThrownBy(() -> WebhookVerifier.builder()
                            .scheme(Schemes.byId(schemeAndSecret[0]))
                            .keys(Keys.builder()
                                    .add("k", schemeAndSecret[1])
                                    .allowWeakSecrets()
                                    .build())
                            .build())
                    .as(schemeAndSecret[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("secret k for scheme " + schemeAndSecret[0]);
        }
    }

    @Test
    void aRefusedSecretOrAMissingOptionCarriesWhatFailedAsDataSoNoFrameworkReadsMessages() {
        // given / when
        Throwable placeholder = catchThrowable(() -> WebhookVerifier.builder()
                .scheme(Schemes.stripe())
                .keys(Keys.builder()
                        .add("current", "whsec_ok_secret_1")
                        .add("previous", "${OLD}")
                        .build())
                .build());
        Throwable notAKey = catchThrowable(() -> WebhookVerifier.builder()
                .scheme(Schemes.discord())
                .keys(Keys.of("00".repeat(31)))
                .build());
        Throwable signer = catchThrowable(() ->
                WebhookSigner.builder().scheme(Schemes.github()).secret("tiny").build());
        Throwable noKeys = catchThrowable(
                () -> WebhookVerifier.builder().scheme(Schemes.github()).build());
        Throwable noVerifier = catchThrowable(() -> WebhookReceiver.builder().build());

        // then
        assertThat(placeholder).isInstanceOfSatisfying(InvalidSecretException.class, e -> {
            assertThat(e.label()).isEqualTo("previous");
            assertThat(e.scheme()).isEqualTo("stripe");
        });
        assertThat(notAKey).isInstanceOfSatisfying(InvalidSecretException.class, e -> {
            assertThat(e.label()).isEqualTo("key-1");
            assertThat(e.getMessage()).contains("too short");
        });
        assertThat(signer).isInstanceOfSatisfying(InvalidSecretException.class, e -> assertThat(e.label())
                .isEqualTo("signing-key"));
        assertThat(noKeys).isInstanceOfSatisfying(MissingOptionException.class, e -> assertThat(e.option())
                .isEqualTo("keys"));
        assertThat(noVerifier).isInstanceOfSatisfying(MissingOptionException.class, e -> assertThat(e.option())
                .isEqualTo("verifier"));
    }

    @Test
    void acceptsSecretsThatOnlyResembleAPlaceholderInPart() {
        for (String secret : List.of("dollar$and{braces", "}{reversed${", "hash#{open-no-close")) {
            assertThat(WebhookVerifier.builder()
                            .scheme(Schemes.github())
                            .keys(Keys.of(secret))
                            .build())
                    .isNotNull();
        }
    }

    @Test
    void refusesAPublicKeyForSigningAndAMalformedPrivateKey() {
        String whpk = SchemeCase.STANDARD_WEBHOOKS_ED25519.sample().verifying();
        String whsk40 = "whsk_" + b64(bytes(40));

        assertThatThrownBy(() -> SchemeCase.STANDARD_WEBHOOKS_ED25519.signer(whpk))
                .isExactlyInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("whpk_ public key")
                .hasMessageNotContaining(whpk);
        assertThatThrownBy(() -> SchemeCase.STANDARD_WEBHOOKS_ED25519.signer(whsk40))
                .isExactlyInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("not an Ed25519 private key")
                .hasMessageNotContaining(whsk40);
        assertThatThrownBy(() -> SchemeCase.STRIPE.signer("whsec_1"))
                .isExactlyInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void refusalMessagesNeverContainTheSecretOrTheExpectedSignature() {
        for (SchemeCase c : SchemeCase.ALL) {
            // given: a delivery signed with another key
            WebhookRequest expected = c.sampleRequest();
            String expectedSignature =
                    expected.headers().first(c.signatureHeader()).orElseThrow();
            WebhookRequest forged =
                    TestRequests.withBody(expected, "{\"forged\":true}".getBytes(StandardCharsets.UTF_8));

            // when
            WebhookVerificationException e = TestRequests.refusal(c.sampleVerifier(), forged);

            // then
            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(e.getMessage())
                    .as(c.name())
                    .contains(c.scheme().id())
                    .doesNotContain(c.sample().verifying())
                    .doesNotContain(expectedSignature.substring(c.signatureStart(expectedSignature)));
        }
    }

    // ---- options set twice, or in conflict

    static Stream<Arguments> verifierOptionsSetTwice() {
        return Stream.of(
                twice("scheme", b -> b.scheme(Schemes.stripe()).scheme(Schemes.github())),
                twice("keys", b -> b.keys(Keys.of("first-secret")).keys(Keys.of("second-secret"))),
                twice("keys", b -> b.secret("first-secret").secret("second-secret")),
                twice("keys", b -> b.keys(Keys.of("first-secret")).secret("second-secret")),
                twice("tolerance", b -> b.tolerance(Duration.ofMinutes(1)).tolerance(Duration.ofMinutes(2))),
                twice("maxAge", b -> b.maxAge(Duration.ofMinutes(1)).maxAge(Duration.ofMinutes(2))),
                twice("futureSkew", b -> b.futureSkew(Duration.ofMinutes(1)).futureSkew(Duration.ofMinutes(2))),
                twice("ignoreTimestamp", b -> b.ignoreTimestamp().ignoreTimestamp()),
                twice("clock", b -> b.clock(SchemeCase.CLOCK).clock(SchemeCase.CLOCK)),
                twice("maxBodyBytes", b -> b.maxBodyBytes(10).maxBodyBytes(20)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verifierOptionsSetTwice")
    void refusesAVerifierOptionSetTwice(String option, Consumer<WebhookVerifier.Builder> setTwice) {
        // given
        WebhookVerifier.Builder builder = WebhookVerifier.builder();

        // when
        Throwable e = catchThrowable(() -> setTwice.accept(builder));

        // then
        assertThat(e)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage(option + " was already set")
                .hasMessageNotContaining("second-secret");
    }

    @Test
    void refusesASignerOptionSetTwice() {
        assertThatThrownBy(
                        () -> WebhookSigner.builder().scheme(Schemes.stripe()).scheme(Schemes.github()))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("scheme was already set");
        assertThatThrownBy(() -> WebhookSigner.builder().secret("first-secret").secret("second-secret"))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("secret was already set");
        assertThatThrownBy(() -> WebhookSigner.builder().clock(SchemeCase.CLOCK).clock(Clock.systemUTC()))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("clock was already set");
    }

    static Stream<Arguments> timestampOptions() {
        return Stream.of(
                Arguments.of(Named.<Consumer<WebhookVerifier.Builder>>of(
                        "tolerance", b -> b.tolerance(Duration.ofMinutes(1)))),
                Arguments.of(
                        Named.<Consumer<WebhookVerifier.Builder>>of("maxAge", b -> b.maxAge(Duration.ofMinutes(1)))),
                Arguments.of(Named.<Consumer<WebhookVerifier.Builder>>of(
                        "futureSkew", b -> b.futureSkew(Duration.ofMinutes(1)))));
    }

    @ParameterizedTest(name = "ignoreTimestamp with {0}")
    @MethodSource("timestampOptions")
    void refusesIgnoreTimestampCombinedWithAWindow(Consumer<WebhookVerifier.Builder> window) {
        // given
        WebhookVerifier.Builder before =
                WebhookVerifier.builder().scheme(Schemes.slack()).secret("slack-signing-secret");
        WebhookVerifier.Builder after =
                WebhookVerifier.builder().scheme(Schemes.slack()).secret("slack-signing-secret");
        window.accept(before);
        before.ignoreTimestamp();
        after.ignoreTimestamp();
        window.accept(after);

        // when / then
        for (WebhookVerifier.Builder builder : List.of(before, after)) {
            assertThatThrownBy(builder::build)
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ignoreTimestamp conflicts with");
        }
    }

    // ---- durations and sizes

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tolerance", "maxAge", "futureSkew"})
    void refusesANegativeOrZeroDurationEchoingIt(String option) {
        for (Duration bad : List.of(Duration.ofSeconds(-1), Duration.ZERO, Duration.ofNanos(-1))) {
            // when
            Throwable e = catchThrowable(() -> setDuration(WebhookVerifier.builder(), option, bad));

            // then
            assertThat(e)
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage(option + " must be positive but was " + bad);
        }
        assertThatThrownBy(() -> setDuration(WebhookVerifier.builder(), option, null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage(option + " cannot be null");
    }

    @Test
    void toleranceMessageEchoesTheValueAsTheStyleGuideShows() {
        assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(Duration.ofSeconds(-1)))
                .hasMessage("tolerance must be positive but was PT-1S");
    }

    @Test
    void refusesANonPositiveBodyLimitEchoingIt() {
        assertThatThrownBy(() -> WebhookVerifier.builder().maxBodyBytes(0))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBodyBytes must be positive but was 0");
        assertThatThrownBy(() -> WebhookVerifier.builder().maxBodyBytes(-5))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBodyBytes must be positive but was -5");
    }

    @Test
    void refusesNullsNamingTheArgument() {
        assertThatThrownBy(() -> WebhookVerifier.builder().secret(null)).hasMessage("secret cannot be null");
        assertThatThrownBy(() -> WebhookVerifier.builder().scheme(null)).hasMessage("scheme cannot be null");
        assertThatThrownBy(() -> WebhookVerifier.builder().keys(null)).hasMessage("keys cannot be null");
        assertThatThrownBy(() -> WebhookVerifier.builder().clock(null)).hasMessage("clock cannot be null");
        assertThatThrownBy(() -> WebhookSigner.builder().secret(null)).hasMessage("secret cannot be null");
        assertThatThrownBy(() -> SchemeCase.STRIPE.sampleVerifier().verify(null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("request cannot be null");
    }

    // ---- toString

    @Test
    void toStringsNeverShowSecretsSignaturesOrBodyContent() {
        String marker = "c0ffee-body-content";
        byte[] body = ("{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"note\":\"" + marker + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        for (SchemeCase c : SchemeCase.ALL) {
            // given
            Keys keys = Keys.builder().add("current", c.sample().verifying()).build();
            WebhookVerifier verifier = c.verifier(keys);
            WebhookSigner signer = c.signer(c.sample().signing());
            WebhookRequest request = c.sampleRequest(body, SchemeCase.NOW);
            String signature = request.headers().first(c.signatureHeader()).orElseThrow();
            VerifiedWebhook webhook = verifier.verify(request);

            // when
            List<String> shown = List.of(
                    keys.toString(),
                    verifier.toString(),
                    signer.toString(),
                    webhook.toString(),
                    request.toString(),
                    request.headers().toString());

            // then
            assertThat(keys.toString()).isEqualTo("Keys[current]");
            assertThat(verifier.toString()).contains(c.scheme().id(), "current");
            assertThat(signer.toString()).contains(c.scheme().id());
            assertThat(request.headers().toString()).contains(c.signatureHeader());
            assertThat(request.toString()).contains(body.length + " bytes");
            for (String s : shown) {
                assertThat(s)
                        .as("%s: %s", c.name(), s)
                        .doesNotContain(c.sample().verifying())
                        .doesNotContain(c.sample().signing())
                        .doesNotContain(signature)
                        .doesNotContain(signature.substring(c.signatureStart(signature)))
                        .doesNotContain(marker);
            }
        }
    }

    // ---- helpers

    private static Arguments bad(SchemeCase c, String secret, String problem) {
        String shown = secret.length() > 24 ? secret.substring(0, 24) + "..." : secret;
        return Arguments.of(Named.of(c + " refuses '" + shown + "'", c), secret, problem);
    }

    private static Arguments twice(String option, Consumer<WebhookVerifier.Builder> setTwice) {
        return Arguments.of(option, Named.of(option + " twice", setTwice));
    }

    @Test
    void refusesAWhskKeyWhosePublicHalfIsNotItsOwn() {
        // Svix's published pair: seed || public key; swap in another key's public half.
        byte[] pair = Base64.getDecoder()
                .decode("6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==");
        byte[] otherPublic = Base64.getDecoder().decode("kp3dScDPIzT1CwUFUMdzyPbWOAQaCF9z4ucuKuZD7Io=");
        System.arraycopy(otherPublic, 0, pair, 32, 32);
        String mismatched = "whsk_" + Base64.getEncoder().encodeToString(pair);

        Throwable refused = catchThrowable(() -> WebhookSigner.builder()
                .scheme(Schemes.standardWebhooks())
                .secret(mismatched)
                .build());

        assertThat(refused)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret signing-key for scheme standard-webhooks is an Ed25519 seed followed by a public"
                        + " key that is not its own");
        assertThat(WebhookSigner.builder()
                        .scheme(Schemes.standardWebhooks())
                        .secret(
                                "whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==")
                        .build())
                .isNotNull();
    }

    @Test
    void refusesTimestampOptionsWithoutATimestampHeader() {
        assertThatThrownBy(() -> Schemes.hmac().timestampInMillis().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no timestampHeader");
        assertThatThrownBy(() -> Schemes.hmac().pastOnlyWindow().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no timestampHeader");
        assertThat(Schemes.hmac()
                        .timestampHeader("X-Timestamp")
                        .timestampInMillis()
                        .pastOnlyWindow()
                        .build()
                        .boundsFuture())
                .isFalse();
    }

    private static void setDuration(WebhookVerifier.Builder builder, String option, Duration value) {
        switch (option) {
            case "tolerance" -> builder.tolerance(value);
            case "maxAge" -> builder.maxAge(value);
            case "futureSkew" -> builder.futureSkew(value);
            default -> throw new IllegalArgumentException(option);
        }
    }

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** 32 bytes that encode no point of Ed25519 (the JDK says "Invalid point"). */
    private static byte[] notAPoint() {
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) 2);
        return raw;
    }
}
