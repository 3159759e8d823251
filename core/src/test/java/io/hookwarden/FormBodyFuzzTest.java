package io.hookwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (issue 17): the form decoder, over any bytes a sender can put in a form body. Lenient decoding (what
 * Twilio and Slack sign) never fails; strict decoding (what an application gets) either agrees with it or refuses with
 * {@code MALFORMED_PAYLOAD}, never another exception.
 */
class FormBodyFuzzTest {

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void decodesAnyBodyOrRefusesItAsMalformed(byte[] body) {
        // when
        List<Map.Entry<String, String>> lenient = FormBody.parse(body);
        Throwable thrown = catchThrowable(() -> FormBody.strict(body));

        // then
        if (thrown != null) {
            assertThat(thrown).isExactlyInstanceOf(InvalidPayloadException.class);
            assertThat(((InvalidPayloadException) thrown).reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
            return;
        }
        Map<String, List<String>> strict = FormBody.strict(body);
        List<Map.Entry<String, String>> regrouped = new ArrayList<>();
        strict.forEach((name, values) -> values.forEach(v -> regrouped.add(Map.entry(name, v))));
        assertThat(regrouped).containsExactlyInAnyOrderElementsOf(lenient);
    }
}
