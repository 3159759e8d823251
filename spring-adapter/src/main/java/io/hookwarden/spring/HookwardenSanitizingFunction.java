package io.hookwarden.spring;

import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Keeps Hookwarden's secrets out of the Actuator's {@code configprops} and {@code env} endpoints even when an
 * application shows their values ({@code management.endpoint.configprops.show-values=always}): the endpoints' secrets
 * ({@code hookwarden.endpoints.<name>.secrets} and {@code ...tenants.secrets.<tenant>}) are masked, and a Redis URI ({@code ...redis.uri}) keeps its address
 * but loses its user and password, and the Kafka inbox's client properties that carry credentials ({@code
 * hookwarden.inbox.kafka.properties.sasl.jaas.config}, {@code ...ssl.key.password}, any {@code password}, {@code secret}
 * or {@code credentials}) are masked. Registered by {@link HookwardenAutoConfiguration} with the Actuator. Thread-safe.
 */
final class HookwardenSanitizingFunction implements SanitizingFunction {
    private static final Pattern SECRETS =
            Pattern.compile("hookwarden\\.endpoints\\.[^.]+\\.(secrets(\\[\\d+])?|tenants\\.secrets(\\..*|\\[.*)?)");
    private static final Pattern REDIS_URI = Pattern.compile("hookwarden\\..*\\.redis\\.uri");
    private static final Pattern KAFKA_CREDENTIALS =
            Pattern.compile("hookwarden\\.inbox\\.kafka\\.properties[.\\[].*(password|jaas|secret|credentials).*");
    private static final Pattern USER_INFO =
            Pattern.compile("^([a-z][a-z0-9+.-]*://)[^@/]*@", Pattern.CASE_INSENSITIVE);

    @Override
    public SanitizableData apply(SanitizableData data) {
        if (data.getValue() == null) {
            return data;
        }
        String key = data.getLowerCaseKey().replace("-", "");
        if (SECRETS.matcher(key).matches() || KAFKA_CREDENTIALS.matcher(key).matches()) {
            return data.withSanitizedValue();
        }
        if (REDIS_URI.matcher(key).matches()) {
            String uri = String.valueOf(data.getValue());
            String redacted = USER_INFO.matcher(uri).replaceFirst("$1****@");
            return redacted.equals(uri) ? data : data.withValue(redacted);
        }
        return data;
    }

    @Override
    public String toString() {
        return "HookwardenSanitizingFunction[" + SECRETS + ", "
                + REDIS_URI.pattern().toLowerCase(Locale.ROOT) + ", " + KAFKA_CREDENTIALS + "]";
    }
}
