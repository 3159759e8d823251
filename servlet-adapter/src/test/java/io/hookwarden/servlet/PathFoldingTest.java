package io.hookwarden.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The readings of a path the adapter refuses to guess between (issue 12). */
class PathFoldingTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/hooks/stripe;x=1",
                "/hooks;x=1/stripe",
                "/hooks/%73tripe",
                "/hooks/%2573tripe",
                "/hooks/./stripe",
                "/hooks/%2e/stripe",
                "/hooks/x/../stripe",
                "/hooks%2Fstripe",
                "//hooks/stripe",
                "/hooks//stripe",
                "/hooks/stripe/",
                "/hooks/stripe/.",
                "/hooks/stripe.",
                "/hooks/stripe ",
                "/Hooks/STRIPE",
                "/hooks\\stripe"
            })
    void everyOtherSpellingFoldsToThePlainPath(String spelling) {
        assertThat(PathFolding.fold(spelling)).isEqualTo("/hooks/stripe");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/hooks/stripe;x=1",
                "/hooks/%73tripe",
                "/hooks/./stripe",
                "/hooks/x/../stripe",
                "//hooks/stripe",
                "/hooks//stripe",
                "/hooks/stripe/",
                "/hooks/stripe/.",
                "/hooks\\stripe",
                "hooks/stripe"
            })
    void aSpellingWithParametersEscapesOrOtherSegmentsIsNotPlain(String spelling) {
        // another case or a trailing dot is plain, but no longer matches the pattern, and only folds to it
        assertThat(PathFolding.isPlain(spelling)).isFalse();
    }

    @Test
    void anEmptyPathIsNotPlain() {
        assertThat(PathFolding.isPlain("")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/hooks/stripe", "/hooks/stripe/v2", "/hooks/stripe.json"})
    void aPlainPathIsPlain(String path) {
        assertThat(PathFolding.isPlain(path)).isTrue();
    }
}
