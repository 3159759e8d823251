package io.hookwarden.spring.http;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The path spellings when Spring MVC matches with the {@code AntPathMatcher} (the Spring Boot 2 default some
 * applications keep), which matches on the path decoded and normalised by the container rather than on the raw URI.
 */
@SpringBootTest(
        classes = EdgeApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.mvc.pathmatch.matching-strategy=ant_path_matcher",
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.scheme=stripe",
            "hookwarden.endpoints.configured.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.paths[0]=/hooks/stripe"
        })
class PathSpellingsWithAntPathMatcherTest extends PathSpellingsContract {
    @Override
    String contextPath() {
        return "";
    }
}
