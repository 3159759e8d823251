package io.hookwarden.jaxrs;

import io.hookwarden.HttpAnswer;
import io.hookwarden.Reason;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Answers {@code OPTIONS} on a webhook endpoint's path with 405 {@code METHOD_NOT_ALLOWED}, as the core answers every
 * method but POST. A JAX-RS runtime answers {@code OPTIONS} for every resource itself, with a generated method that
 * carries no {@link WebhookEndpoint} binding, so the endpoint's own filter never sees it; this global filter does, and
 * knows the endpoints by the path templates {@link HookwardenFeature} recorded for their methods at start-up. It never
 * claims anything: an automatic answer would not have either, but a webhook endpoint answers no method but its own.
 *
 * <p>Thread-safe: templates are added while the application starts and only read afterwards.
 */
final class OptionsRefusal implements ContainerRequestFilter {
    private static final HttpAnswer NOT_ALLOWED = HttpAnswer.problem(Reason.METHOD_NOT_ALLOWED, null);

    private final List<Pattern> endpoints = new CopyOnWriteArrayList<>();

    /**
     * Records the path of a webhook method whose class has a {@link Path}; a method of a sub-resource (a class without
     * one) is reached through a locator whose path is not known here, and keeps the runtime's automatic answer.
     */
    void add(Class<?> resourceClass, Method method) {
        Path classPath = resourceClass == null ? null : resourceClass.getAnnotation(Path.class);
        if (classPath == null) {
            return;
        }
        Path methodPath = method == null ? null : method.getAnnotation(Path.class);
        String template = "/" + classPath.value() + (methodPath == null ? "" : "/" + methodPath.value());
        endpoints.add(regex(template));
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!"OPTIONS".equals(request.getMethod())) {
            return;
        }
        String path = "/" + request.getUriInfo().getPath(false);
        for (Pattern endpoint : endpoints) {
            if (endpoint.matcher(path).matches()) {
                request.abortWith(EndpointFilter.toResponse(NOT_ALLOWED));
                return;
            }
        }
    }

    /**
     * Jakarta RESTful Web Services 3.1, section 3.7.3: literal characters match themselves, {@code {name}} matches one
     * segment, {@code {name: regex}} its regex; slashes are collapsed and a trailing one is optional.
     */
    static Pattern regex(String template) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '{') {
                if (c != '/' || literal.length() == 0 || literal.charAt(literal.length() - 1) != '/') {
                    literal.append(c);
                }
                continue;
            }
            int depth = 1;
            int end = i + 1;
            while (end < template.length() && depth > 0) {
                char e = template.charAt(end);
                depth += e == '{' ? 1 : e == '}' ? -1 : 0;
                end++;
            }
            String variable = template.substring(i + 1, end - 1);
            int colon = variable.indexOf(':');
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
            regex.append('(')
                    .append(colon < 0 ? "[^/]+" : variable.substring(colon + 1).trim())
                    .append(')');
            i = end - 1;
        }
        String rest = literal.toString();
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (!rest.isEmpty()) {
            regex.append(Pattern.quote(rest));
        }
        return Pattern.compile(regex + "/?");
    }

    @Override
    public String toString() {
        return "OptionsRefusal" + endpoints;
    }
}
