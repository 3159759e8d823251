package io.hookwarden.inbox.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookwarden.testsupport.EmbeddedRedis;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The builder refuses what cannot work at once, echoing the bad value, and each option once. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RedisInboxBuilderTest {
    @Test
    void bad_values_are_refused_with_the_value_in_the_message() {
        assertThatThrownBy(() -> RedisInbox.builder().maxLength(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLength must be positive but was 0");
        assertThatThrownBy(() -> RedisInbox.builder().commandTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commandTimeout must be positive but was PT-1S");
        assertThatThrownBy(() -> RedisInbox.builder().keyPrefix("app:{x}:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keyPrefix cannot hold a brace but was app:{x}:");
        assertThatThrownBy(() -> RedisInbox.builder().consumer(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("consumer cannot be empty");
        assertThatThrownBy(() -> RedisInbox.builder().clock(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("clock cannot be null");
    }

    @Test
    void a_uri_that_is_not_redis_is_refused_without_its_password() {
        assertThatThrownBy(() -> RedisInbox.builder().uri("http://user:hunter2@host:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("hunter2")
                .hasMessageContaining("****@host:6379");
    }

    @Test
    void each_option_may_be_set_once_and_only_one_target() {
        assertThatThrownBy(() -> RedisInbox.builder().maxLength(5).maxLength(6))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxLength was already set");
        assertThatThrownBy(() -> RedisInbox.builder().keyPrefix("a:").keyPrefix("b:"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RedisInbox.builder().consumer("a").consumer("b"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RedisInbox.builder().clock(Clock.systemUTC()).clock(Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RedisInbox.builder()
                        .commandTimeout(Duration.ofSeconds(1))
                        .commandTimeout(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RedisInbox.builder().uri("redis://a:1").uri("redis://b:2"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("only one of uri or client may be set");
        assertThatThrownBy(() -> RedisInbox.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("one of uri or client is required");
    }

    @Test
    void the_options_are_kept_and_keys_carry_the_endpoint_in_an_escaped_hash_tag() {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                RedisInbox inbox = RedisInbox.builder()
                        .uri(redis.uri())
                        .keyPrefix("app:inbox:")
                        .maxLength(42)
                        .consumer("replica-1")
                        .build()) {
            assertThat(inbox.keyPrefix()).isEqualTo("app:inbox:");
            assertThat(inbox.maxLength()).isEqualTo(42);
            assertThat(inbox.consumer()).isEqualTo("replica-1");
            assertThat(inbox.streamKey("stripe")).isEqualTo("app:inbox:{stripe}:s");
            assertThat(inbox.streamKey("a{b}/c:d%")).isEqualTo("app:inbox:{a%7Bb%7D%2Fc%3Ad%25}:s");
            assertThat(inbox.toString()).contains("redis://127.0.0.1:" + redis.port(), "maxLength=42");
        }
    }

    @Test
    void an_endpoint_name_escapes_and_unescapes_exactly() {
        for (String name : new String[] {"stripe", "a{b}/c:d%", "%41", "é/ü", ""}) {
            assertThat(RedisInbox.unescape(RedisInbox.escape(name))).isEqualTo(name);
        }
    }
}
