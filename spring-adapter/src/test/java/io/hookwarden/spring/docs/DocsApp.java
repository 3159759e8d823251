package io.hookwarden.spring.docs;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Import;

/** What an application's own {@code @SpringBootApplication} is to its slice tests. */
@SpringBootConfiguration
@Import(StripeWebhooks.class)
class DocsApp {}
