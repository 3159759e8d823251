package io.hookwarden.servlet;

import io.hookwarden.InMemoryDedupeStore;
import io.hookwarden.Keys;
import io.hookwarden.Schemes;
import io.hookwarden.WebhookReceiver;
import io.hookwarden.WebhookVerifier;
import io.hookwarden.spi.DedupeStore;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The filter's endpoints from {@code web.xml} init parameters:
 *
 * <pre>
 * hookwarden.endpoints                 stripe, github          names, comma-separated (required)
 * hookwarden.NAME.path                 /webhooks/stripe        path within the context (required)
 * hookwarden.NAME.scheme               stripe                  a scheme id of Schemes.byId (required)
 * hookwarden.NAME.secret-env           STRIPE_WHSEC            environment variable(s) holding the secret(s);
 * hookwarden.NAME.secret-property      stripe.whsec            or system properties; exactly one of the two,
 *                                                              several names comma-separated for rotation
 * hookwarden.NAME.tolerance            PT5M                    ISO-8601 duration (optional)
 * hookwarden.NAME.max-body-bytes       1048576                 optional
 * hookwarden.dedupe-store              com.example.store       a servlet context attribute holding a DedupeStore
 *                                                              (optional; default one in-memory store)
 * </pre>
 *
 * Secrets never go in {@code web.xml} itself. Unknown {@code hookwarden.*} parameters are refused, so a typo fails at
 * start-up. Each endpoint's receiver is named after it, which prefixes its keys in the shared store.
 */
final class InitParams {
    static final String PREFIX = "hookwarden.";
    static final String ENDPOINTS = PREFIX + "endpoints";
    static final String DEDUPE_STORE = PREFIX + "dedupe-store";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final List<String> OPTIONS =
            List.of("path", "scheme", "secret-env", "secret-property", "tolerance", "max-body-bytes");

    private InitParams() {}

    /**
     * @param params init parameter name to value
     * @param contextAttribute the servlet context's attributes
     * @param env environment variables
     * @param properties system properties
     * @return path to receiver, in the order the endpoints were named
     * @throws IllegalArgumentException if a parameter is missing, unknown or invalid
     */
    static Map<String, WebhookReceiver> parse(
            Map<String, String> params,
            Function<String, Object> contextAttribute,
            Function<String, String> env,
            Function<String, String> properties) {
        String list = params.get(ENDPOINTS);
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("init parameter " + ENDPOINTS + " is required: name the endpoints");
        }
        List<String> names = new ArrayList<>();
        for (String name : list.split(",")) {
            name = name.trim();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        ENDPOINTS + " must list names of letters, digits, '_' and '-' but has '" + name + "'");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException(ENDPOINTS + " names " + name + " twice");
            }
            names.add(name);
        }
        Set<String> known = new HashSet<>(Set.of(ENDPOINTS, DEDUPE_STORE));
        names.forEach(name -> OPTIONS.forEach(option -> known.add(PREFIX + name + "." + option)));
        for (String param : params.keySet()) {
            if (param.startsWith(PREFIX) && !known.contains(param)) {
                throw new IllegalArgumentException("unknown init parameter " + param + "; known are " + ENDPOINTS + ", "
                        + DEDUPE_STORE + " and hookwarden.NAME." + OPTIONS + " for each NAME in " + ENDPOINTS);
            }
        }
        DedupeStore store = store(params.get(DEDUPE_STORE), contextAttribute);
        Map<String, WebhookReceiver> endpoints = new LinkedHashMap<>();
        for (String name : names) {
            Function<String, String> option = o -> params.get(PREFIX + name + "." + o);
            String path = required(option, name, "path");
            HookwardenFilter.checkPath(path);
            WebhookReceiver receiver = WebhookReceiver.builder()
                    .name(name)
                    .verifier(verifier(name, option, env, properties))
                    .dedupeStore(store)
                    .build();
            if (endpoints.putIfAbsent(path, receiver) != null) {
                throw new IllegalArgumentException(
                        "path " + path + " of endpoint " + name + " already has an endpoint");
            }
        }
        return endpoints;
    }

    private static WebhookVerifier verifier(
            String name,
            Function<String, String> option,
            Function<String, String> env,
            Function<String, String> properties) {
        WebhookVerifier.Builder b = WebhookVerifier.builder()
                .scheme(Schemes.byId(required(option, name, "scheme").trim()));
        String fromEnv = option.apply("secret-env");
        String fromProperty = option.apply("secret-property");
        if ((fromEnv == null) == (fromProperty == null)) {
            throw new IllegalArgumentException("endpoint " + name + " needs exactly one of " + PREFIX + name
                    + ".secret-env and " + PREFIX + name + ".secret-property");
        }
        b.keys(
                fromEnv != null
                        ? secrets(fromEnv, env, "environment variable", PREFIX + name + ".secret-env")
                        : secrets(fromProperty, properties, "system property", PREFIX + name + ".secret-property"));
        String tolerance = option.apply("tolerance");
        if (tolerance != null) {
            try {
                b.tolerance(Duration.parse(tolerance.trim()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        PREFIX + name + ".tolerance must be an ISO-8601 duration such as PT5M but was " + tolerance);
            }
        }
        String maxBody = option.apply("max-body-bytes");
        if (maxBody != null) {
            try {
                b.maxBodyBytes(Long.parseLong(maxBody.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        PREFIX + name + ".max-body-bytes must be a number of bytes but was " + maxBody);
            }
        }
        return b.build();
    }

    private static Keys secrets(String names, Function<String, String> source, String kind, String param) {
        List<String> secrets = new ArrayList<>();
        for (String variable : names.split(",")) {
            variable = variable.trim();
            String secret = variable.isEmpty() ? null : source.apply(variable);
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException(
                        kind + " '" + variable + "' named by " + param + " is not set or is empty");
            }
            secrets.add(secret);
        }
        return Keys.of(secrets);
    }

    private static DedupeStore store(String attribute, Function<String, Object> contextAttribute) {
        if (attribute == null) {
            return InMemoryDedupeStore.create();
        }
        Object store = contextAttribute.apply(attribute.trim());
        if (!(store instanceof DedupeStore)) {
            throw new IllegalArgumentException("servlet context attribute " + attribute + " named by " + DEDUPE_STORE
                    + " must hold a " + DedupeStore.class.getName() + " but holds "
                    + (store == null ? "nothing" : store.getClass().getName())
                    + "; set it in a ServletContextListener before the filter starts");
        }
        return (DedupeStore) store;
    }

    private static String required(Function<String, String> option, String name, String o) {
        String value = option.apply(o);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("init parameter " + PREFIX + name + "." + o + " is required");
        }
        return value.trim();
    }
}
