package io.hookwarden.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link WebhookConfigurationException} into Spring Boot's "APPLICATION FAILED TO START" description. */
final class WebhookConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<WebhookConfigurationException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WebhookConfigurationException cause) {
        return new FailureAnalysis(
                "A Hookwarden webhook endpoint is misconfigured: " + cause.getMessage(), cause.action(), cause);
    }
}
