package io.hookwarden.spring.slice;

import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.test.context.ContextConfiguration;

/** {@link WebMvcSliceContract} in a Spring Boot 3 {@code @WebMvcTest} slice. */
@WebMvcTest(
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + WebMvcSliceContract.SECRET
        })
@ContextConfiguration(classes = WebMvcSliceContract.App.class)
class WebMvcSliceTest extends WebMvcSliceContract {}
