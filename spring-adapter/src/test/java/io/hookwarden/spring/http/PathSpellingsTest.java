package io.hookwarden.spring.http;

import org.springframework.boot.test.context.SpringBootTest;

/** The path spellings against Spring Boot's defaults: Tomcat, path patterns, no context path. */
@SpringBootTest(
        classes = EdgeApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.scheme=stripe",
            "hookwarden.endpoints.configured.secrets[0]=" + EdgeApp.SECRET,
            "hookwarden.endpoints.configured.paths[0]=/hooks/stripe"
        })
class PathSpellingsTest extends PathSpellingsContract {
    @Override
    String contextPath() {
        return "";
    }
}
