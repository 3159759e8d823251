package io.hookwarden.redis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The builder refuses what cannot work before anything connects. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisDedupeStoreBuilderTest {
    @Test
    void a_store_needs_somewhere_to_connect() {
        assertThatThrownBy(() -> RedisDedupeStore.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("one of uri, client or connection is required");
    }

    @Test
    void only_one_place_to_connect_may_be_given() {
        RedisDedupeStore.Builder builder = RedisDedupeStore.builder().uri("redis://127.0.0.1:6379");

        assertThatThrownBy(() -> builder.uri("redis://127.0.0.1:6380"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("only one of uri, client or connection may be set");
    }

    @Test
    void each_option_may_be_set_once() {
        RedisDedupeStore.Builder builder =
                RedisDedupeStore.builder().keyPrefix("a:").commandTimeout(Duration.ofSeconds(1));

        assertThatThrownBy(() -> builder.keyPrefix("b:"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("keyPrefix was already set");
        assertThatThrownBy(() -> builder.commandTimeout(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("commandTimeout was already set");
    }

    @Test
    void a_timeout_that_is_not_positive_is_refused_with_its_value() {
        assertThatThrownBy(() -> RedisDedupeStore.builder().commandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commandTimeout must be positive but was PT0S");
        assertThatThrownBy(() -> RedisDedupeStore.builder().commandTimeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commandTimeout must be positive but was PT-0.005S");
    }

    @Test
    void missing_values_are_named() {
        assertThatThrownBy(() -> RedisDedupeStore.builder().uri((String) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("uri cannot be null");
        assertThatThrownBy(() -> RedisDedupeStore.builder().keyPrefix(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("keyPrefix cannot be null");
        assertThatThrownBy(() -> RedisDedupeStore.builder().commandTimeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("commandTimeout cannot be null");
    }
}
