package io.hookwarden.spring.boot4;

import io.hookwarden.spring.slice.WebMvcSliceContract;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * Issue 12 on Spring Boot 4: {@link WebMvcSliceContract} in Boot 4's own {@code @WebMvcTest} (from {@code
 * spring-boot-webmvc-test}), which finds the adapter through Boot 4's name for the slice's imports file.
 */
@WebMvcTest(
        properties = {
            "hookwarden.endpoints.stripe.scheme=stripe",
            "hookwarden.endpoints.stripe.secrets[0]=" + WebMvcSliceContract.SECRET
        })
@ContextConfiguration(classes = WebMvcSliceContract.App.class)
class Boot4WebMvcSliceTest extends WebMvcSliceContract {}
