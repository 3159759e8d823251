package io.hookwarden.spring.webflux.slice;

import org.springframework.boot.test.autoconfigure.web.reactive.WebFluxTest;
import org.springframework.test.context.ContextConfiguration;

/** {@link WebFluxSliceContract} in a Spring Boot 3 {@code @WebFluxTest} slice. */
@WebFluxTest(
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + WebFluxSliceContract.SECRET
        })
@ContextConfiguration(classes = WebFluxSliceContract.App.class)
class WebFluxSliceTest extends WebFluxSliceContract {}
