package io.hookwarden.spring;

import java.util.List;

/** The tests' secrets; no answer may ever contain one. */
final class Secrets {
    static final String STRIPE = "whsec_stripe_spring_0123456789abcdefghij";
    /** {@code whsec_} + base64("standard-spring-key-0123456789"). */
    static final String STANDARD = "whsec_c3RhbmRhcmQtc3ByaW5nLWtleS0wMTIzNDU2Nzg5";
    /** {@code whsec_} + base64("standard-spring-old-0123456789"). */
    static final String STANDARD_OLD = "whsec_c3RhbmRhcmQtc3ByaW5nLW9sZC0wMTIzNDU2Nzg5";

    /** Each secret and its decoded form, as a leak would show them. */
    static List<String> all() {
        return List.of(
                STRIPE,
                STANDARD,
                STANDARD.substring("whsec_".length()),
                STANDARD_OLD,
                STANDARD_OLD.substring("whsec_".length()),
                "standard-spring-key-0123456789");
    }

    private Secrets() {}
}
