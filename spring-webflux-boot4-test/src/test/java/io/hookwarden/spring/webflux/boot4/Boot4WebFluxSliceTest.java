package io.hookwarden.spring.webflux.boot4;

import io.hookwarden.spring.webflux.slice.WebFluxSliceContract;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * Issue 18 on Spring Boot 4: {@link WebFluxSliceContract} in Boot 4's own {@code @WebFluxTest} (from {@code
 * spring-boot-webflux-test}). Without the adapter's entry in Boot 4's slice imports file, a handler taking only
 * {@code @RequestBody String} would process a forged delivery here.
 */
@WebFluxTest(
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + WebFluxSliceContract.SECRET
        })
@ContextConfiguration(classes = WebFluxSliceContract.App.class)
class Boot4WebFluxSliceTest extends WebFluxSliceContract {}
