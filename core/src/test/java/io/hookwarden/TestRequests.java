package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Edits of signed requests, and the one way the tests catch a refusal. */
final class TestRequests {
    private TestRequests() {}

    /** {@code request} with every value of {@code name} replaced by {@code values} (none: the header removed). */
    static WebhookRequest withHeader(WebhookRequest request, String name, String... values) {
        Headers.Builder headers = request.headers().toBuilder().remove(name);
        for (String value : values) {
            headers.add(name, value);
        }
        return rebuild(request, headers.build(), request.body());
    }

    static WebhookRequest withoutHeader(WebhookRequest request, String name) {
        return withHeader(request, name);
    }

    /** {@code request} with the header given a second time with the same value. */
    static WebhookRequest withDuplicatedHeader(WebhookRequest request, String name) {
        String value = request.headers().first(name).orElseThrow();
        return withHeader(request, name, value, value);
    }

    static WebhookRequest withBody(WebhookRequest request, byte[] body) {
        return rebuild(request, request.headers(), body);
    }

    static WebhookRequest withUrl(WebhookRequest request, String url) {
        return request.toBuilder().url(url).build();
    }

    /** {@code value} with the character at {@code index} replaced. */
    static String replaceAt(String value, int index, char replacement) {
        return value.substring(0, index) + replacement + value.substring(index + 1);
    }

    private static WebhookRequest rebuild(WebhookRequest request, Headers headers, byte[] body) {
        return WebhookRequest.builder()
                .method(request.method())
                .url(request.url().orElse(null))
                .headers(headers)
                .body(body)
                .build();
    }

    /**
     * The exception {@code verifier} refuses {@code request} with; fails when it accepts it or throws anything but a
     * {@link WebhookVerificationException}.
     */
    static WebhookVerificationException refusal(WebhookVerifier verifier, WebhookRequest request) {
        Throwable thrown = catchThrowable(() -> verifier.verify(request));
        assertThat(thrown)
                .as("verifying %s", request)
                .isNotNull()
                .isExactlyInstanceOf(WebhookVerificationException.class);
        return (WebhookVerificationException) thrown;
    }
}
