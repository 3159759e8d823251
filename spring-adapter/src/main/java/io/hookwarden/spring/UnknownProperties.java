package io.hookwarden.spring;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Finds the {@code hookwarden.*} properties that bind to nothing, such as {@code hookwarden.endpoints.stripe.max-bdy}:
 * Spring Boot ignores them (the endpoints are a map, whose values' unknown fields it cannot refuse), so a typo left an
 * option at its default without a word. Each name is walked through {@link HookwardenProperties}'s structure in Spring
 * Boot's uniform form, so every spelling that binds ({@code max-body}, {@code maxBody}, {@code
 * HOOKWARDEN_ENDPOINTS_STRIPE_MAXBODY}, {@code ..._MAX_BODY}) is known. What the whole process shares, environment
 * variables and Java system properties, is looked at only under {@code hookwarden.endpoints.}, {@code
 * hookwarden.dedupe.} and {@code hookwarden.inbox.}: other {@code HOOKWARDEN_*} variables and {@code -Dhookwarden.*}
 * properties may be meant for other code (the samples read {@code HOOKWARDEN_STORE}, their soak test {@code
 * -Dhookwarden.soak.seconds}). Only names, never values, are reported.
 */
final class UnknownProperties {
    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("hookwarden");
    private static final Set<String> GROUPS = Set.of("endpoints", "dedupe", "inbox");

    private UnknownProperties() {}

    /**
     * @throws WebhookConfigurationException naming the first unknown property, with every unknown one and the nearest
     *     known names, if any {@code hookwarden.*} property binds to nothing
     */
    static void check(Environment environment) {
        Map<String, String> unknown = new TreeMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            boolean fromEnvironmentVariables = isEnvironmentVariables(source.getUnderlyingSource());
            boolean processWide = fromEnvironmentVariables || isSystemProperties(source.getUnderlyingSource());
            iterable.filter(ROOT::isAncestorOf).stream().forEach(name -> {
                if (processWide && !isHookwardenGroup(name)) {
                    return;
                }
                String problem =
                        walk(ResolvableType.forClass(HookwardenProperties.class), name, 1, fromEnvironmentVariables);
                if (problem != null) {
                    unknown.putIfAbsent(name.toString(), problem);
                }
            });
        }
        if (unknown.isEmpty()) {
            return;
        }
        Map.Entry<String, String> first = unknown.entrySet().iterator().next();
        StringBuilder problem = new StringBuilder("is not a Hookwarden property: ").append(first.getValue());
        if (unknown.size() > 1) {
            problem.append("; other unknown properties: ");
            List<String> others = new ArrayList<>();
            unknown.forEach((name, why) -> {
                if (!name.equals(first.getKey())) {
                    others.add(name + " (" + why + ")");
                }
            });
            problem.append(String.join(", ", others));
        }
        throw new WebhookConfigurationException(
                first.getKey(),
                problem.toString(),
                "Fix the name (the properties are listed in docs/spring.md, and in your IDE's completion), or remove"
                        + " it.",
                null);
    }

    private static boolean isEnvironmentVariables(Object source) {
        return source instanceof SystemEnvironmentPropertySource env
                && (env.getName().equals("systemEnvironment") || env.getName().endsWith("-systemEnvironment"));
    }

    private static boolean isSystemProperties(Object source) {
        return source instanceof PropertySource<?> properties
                && properties.getName().equals(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    }

    private static boolean isHookwardenGroup(ConfigurationPropertyName name) {
        return name.getNumberOfElements() > 2 && GROUPS.contains(uniform(name, 1));
    }

    private static String uniform(ConfigurationPropertyName name, int element) {
        return name.getElement(element, ConfigurationPropertyName.Form.UNIFORM);
    }

    /** Null when the name from element {@code i} on binds into {@code type}; else why not, with the nearest names. */
    private static String walk(ResolvableType type, ConfigurationPropertyName name, int i, boolean joinElements) {
        if (i >= name.getNumberOfElements()) {
            return null;
        }
        Class<?> raw = type.resolve(Object.class);
        if (Map.class.isAssignableFrom(raw)) {
            ResolvableType value = type.asMap().getGeneric(1);
            // a map of plain values takes the rest of the name as its key: schemas.types.invoice.paid
            return isBean(value) ? walk(value, name, i + 1, joinElements) : null;
        }
        if (Collection.class.isAssignableFrom(raw)) {
            if (!uniform(name, i).chars().allMatch(Character::isDigit)) {
                return name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL) + " is not an index of "
                        + prefix(name, i);
            }
            ResolvableType element = type.asCollection().getGeneric(0);
            return isBean(element) ? walk(element, name, i + 1, joinElements) : null;
        }
        if (!isBean(type)) {
            return prefix(name, i) + " takes a value, and has nothing under it";
        }
        Map<String, PropertyDescriptor> known = new TreeMap<>();
        for (PropertyDescriptor p : BeanUtils.getPropertyDescriptors(raw)) {
            if (p.getReadMethod() != null && !p.getName().equals("class")) {
                known.put(p.getName().toLowerCase(Locale.ROOT), p);
            }
        }
        // An environment variable's underscores stand for dots and dashes alike: ..._MAX_BODY is max-body too.
        String joined = "";
        String deeperProblem = null;
        int last = joinElements ? name.getNumberOfElements() : i + 1;
        for (int j = i; j < last; j++) {
            joined += uniform(name, j);
            PropertyDescriptor p = known.get(joined);
            if (p != null) {
                String deeper = walk(ResolvableType.forMethodReturnType(p.getReadMethod()), name, j + 1, joinElements);
                if (deeper == null) {
                    return null;
                }
                deeperProblem = deeperProblem == null ? deeper : deeperProblem;
            }
        }
        return deeperProblem != null ? deeperProblem : nearest(name, i, known.values());
    }

    /** Whether Hookwarden's own properties class, whose fields are walked; anything else takes a value. */
    private static boolean isBean(ResolvableType type) {
        Class<?> raw = type.resolve(Object.class);
        return !raw.isEnum() && raw.getName().startsWith(HookwardenProperties.class.getName());
    }

    private static String nearest(ConfigurationPropertyName name, int i, Collection<PropertyDescriptor> known) {
        String given = name.getElement(i, ConfigurationPropertyName.Form.DASHED);
        String parent = prefix(name, i);
        Set<String> names = new TreeSet<>();
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (PropertyDescriptor p : known) {
            String dashed = dashed(p.getName());
            names.add(dashed);
            int d = distance(given, dashed);
            if (d < bestDistance) {
                bestDistance = d;
                best = dashed;
            }
        }
        String near = best != null && bestDistance <= Math.max(2, given.length() / 3)
                ? "did you mean " + parent + "." + best + "? "
                : "";
        return near + "known under " + parent + ": " + String.join(", ", names);
    }

    private static String prefix(ConfigurationPropertyName name, int elements) {
        StringBuilder out = new StringBuilder();
        for (int e = 0; e < elements; e++) {
            String element = name.getElement(e, ConfigurationPropertyName.Form.ORIGINAL);
            if (name.isNumericIndex(e) || element.contains(".")) {
                out.append('[').append(element).append(']');
            } else {
                out.append(out.length() == 0 ? "" : ".").append(element);
            }
        }
        return out.toString();
    }

    private static String dashed(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
