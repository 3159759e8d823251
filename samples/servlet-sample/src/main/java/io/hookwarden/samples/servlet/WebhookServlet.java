package io.hookwarden.samples.servlet;

import io.hookwarden.VerifiedWebhook;
import io.hookwarden.samples.support.SampleEndpoints;
import io.hookwarden.servlet.HookwardenFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * The application's servlet behind one endpoint: what a user writes. It runs only for a verified, claimed delivery
 * (the filter answers every other request), reads the body as any servlet would, and hands the verified delivery to
 * the sample's handler; 204 completes the claim, a throw releases it so the provider's retry is processed.
 */
final class WebhookServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient SampleEndpoints endpoints;
    private final String path;

    WebhookServlet(SampleEndpoints endpoints, String path) {
        this.endpoints = endpoints;
        this.path = path;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        VerifiedWebhook webhook = (VerifiedWebhook) request.getAttribute(HookwardenFilter.VERIFIED_WEBHOOK);
        if (webhook == null) {
            // Fail closed: only the filter sets the attribute, so its absence means the delivery was never verified.
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"title\":\"Not verified\",\"status\":401}");
            return;
        }
        try (InputStream body = request.getInputStream()) {
            body.readAllBytes(); // the very bytes that were verified; the handler binds them through the webhook
        }
        endpoints.handle(path, webhook);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
