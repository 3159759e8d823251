package io.hookwarden.spring.webflux;

import io.hookwarden.servlet.PathFolding;
import io.hookwarden.spring.WebhookEndpoints;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which endpoint's {@link WebhookEndpoints#paths() path patterns} a request's path is, matched as WebFlux's functional
 * routes match them ({@link PathPattern}, within the application), and whether it is only another spelling of one. The
 * same rule as the Spring MVC adapter's, with the same {@link PathFolding}: a path a pattern matches is the endpoint's
 * when it is spelled plainly; a path that matches one only under another reading ({@code ;params}, percent escapes,
 * dot or empty segments, a trailing '/', another case) is another spelling, which a route declared more loosely than
 * its endpoint's {@code paths} ({@code /hooks/**}, a case-insensitive predicate) would reach unverified, so the filter
 * refuses it. Immutable and thread-safe.
 */
final class EndpointPaths {
    private static final PathPatternParser LOOSE = new PathPatternParser();

    static {
        LOOSE.setCaseSensitive(false);
    }

    private final List<Entry> exact = new ArrayList<>();
    /** The same patterns, matching case-insensitively, for folded readings of a path. */
    private final List<Entry> loose = new ArrayList<>();

    private record Entry(PathPattern pattern, String endpoint) {}

    /**
     * What a path is to the patterns.
     *
     * @param endpoint the endpoint whose pattern matches the path, or null when the path only resembles one
     * @param plain whether the path is spelled plainly, so that it is the endpoint's; else it is another spelling
     */
    record Match(String endpoint, boolean plain) {
        private static final Match OTHER_SPELLING = new Match(null, false);
    }

    EndpointPaths(WebhookEndpoints endpoints) {
        endpoints.paths().forEach((name, patterns) -> {
            for (String p : patterns) {
                exact.add(new Entry(PathPatternParser.defaultInstance.parse(p), name));
                loose.add(new Entry(LOOSE.parse(p), name));
            }
        });
    }

    boolean isEmpty() {
        return exact.isEmpty();
    }

    /**
     * The match of a request's path, or null when it is none of the endpoints' under any reading.
     *
     * <ul>
     *   <li>a pattern matches the path within the application, spelled plainly ({@link PathFolding#isPlain}): that
     *       pattern's endpoint;
     *   <li>a pattern matches it, but it is not spelled plainly (WebFlux's patterns match {@code /hooks/%73tripe} and
     *       {@code /hooks/stripe;x=1} as {@code /hooks/stripe}): another spelling;
     *   <li>a reading of the path, or of the whole path, {@link PathFolding#fold folded}, matches a pattern
     *       case-insensitively: another spelling.
     * </ul>
     */
    Match match(RequestPath path) {
        if (exact.isEmpty()) {
            return null;
        }
        PathContainer within = path.pathWithinApplication();
        for (Entry entry : exact) {
            if (entry.pattern().matches(within)) {
                return PathFolding.isPlain(within.value()) ? new Match(entry.endpoint(), true) : Match.OTHER_SPELLING;
            }
        }
        return resembles(path) ? Match.OTHER_SPELLING : null;
    }

    private boolean resembles(RequestPath path) {
        String whole = PathFolding.fold(path.value());
        String context = path.contextPath().value();
        List<String> readings = new ArrayList<>(3);
        readings.add(PathFolding.fold(path.pathWithinApplication().value()));
        readings.add(whole);
        if (!context.isEmpty()) {
            String foldedContext = PathFolding.fold(context);
            if (whole.startsWith(foldedContext + "/")) {
                readings.add(whole.substring(foldedContext.length()));
            }
        }
        for (String reading : readings) {
            PathContainer folded = PathContainer.parsePath(reading);
            for (Entry entry : loose) {
                if (entry.pattern().matches(folded)) {
                    return true;
                }
            }
        }
        return false;
    }
}
