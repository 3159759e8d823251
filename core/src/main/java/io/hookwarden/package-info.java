/**
 * Hookwarden's core: verify, receive exactly once, check and route webhook deliveries. One flat package on purpose:
 * everything not listed here is package-private, so the implementation stays hidden on the class path. Its public
 * types, by what you do with them:
 *
 * <h2>Verify a delivery</h2>
 *
 * <ul>
 *   <li>{@link io.hookwarden.WebhookVerifier}: checks one request's signature and timestamp; built once per endpoint.
 *   <li>{@link io.hookwarden.Schemes}, {@link io.hookwarden.Scheme}: how each provider signs; {@link
 *       io.hookwarden.HmacScheme}, {@link io.hookwarden.TwilioScheme}, {@link io.hookwarden.SquareScheme} and {@link
 *       io.hookwarden.MetaScheme} are the configurable ones; {@link io.hookwarden.HmacAlgorithm}, {@link
 *       io.hookwarden.SignatureEncoding} and {@link io.hookwarden.SecretEncoding} configure them.
 *   <li>{@link io.hookwarden.Keys}: an endpoint's secrets, several while rotating.
 *   <li>{@link io.hookwarden.WebhookRequest} and {@link io.hookwarden.Headers}: the request as received; {@link
 *       io.hookwarden.VerifiedWebhook}: what verification returns.
 *   <li>{@link io.hookwarden.WebhookVerificationException} and {@link io.hookwarden.Reason}: why a delivery is
 *       refused, with the HTTP status that makes the provider retry exactly when it should.
 * </ul>
 *
 * <h2>Receive it exactly once</h2>
 *
 * <ul>
 *   <li>{@link io.hookwarden.WebhookReceiver}: one endpoint: handshakes, verification, payload checks and the claim in
 *       a dedupe store ({@link io.hookwarden.spi.DedupeStore}; {@link io.hookwarden.InMemoryDedupeStore} for one
 *       process), keyed by a {@link io.hookwarden.DedupeKey}.
 *   <li>{@link io.hookwarden.Outcome}: what the receiver made of a request; {@link io.hookwarden.Delivery}: an accepted
 *       one, holding its claim until {@link io.hookwarden.Delivery#finish(int)}; {@link io.hookwarden.HttpAnswer}: the
 *       answer to send, with its problem members as data.
 *   <li>{@link io.hookwarden.DeliveryListener}: observes what became of every delivery (metrics, traces, audit).
 * </ul>
 *
 * <h2>Acknowledge fast, process later</h2>
 *
 * <ul>
 *   <li>{@link io.hookwarden.WebhookReceiver.Builder#inbox}: an endpoint writes each verified delivery to an {@link
 *       io.hookwarden.spi.Inbox} ({@link io.hookwarden.InMemoryInbox} for one process) and answers 2xx after the write
 *       ({@link io.hookwarden.Outcome.Queued}).
 *   <li>{@link io.hookwarden.InboxWorker}: runs the endpoints' handlers on stored deliveries, retrying failures by a
 *       {@link io.hookwarden.RetryPolicy}; {@link io.hookwarden.PoisonDeliveryException} marks one dead at once;
 *       {@link io.hookwarden.InboxListener} observes each attempt.
 * </ul>
 *
 * <h2>Check and route the payload</h2>
 *
 * <ul>
 *   <li>{@link io.hookwarden.PayloadFormat}, {@link io.hookwarden.PayloadSchema}, {@link io.hookwarden.SchemaRegistry}:
 *       the body's format and JSON Schemas per event type and version; {@link io.hookwarden.ValidationResult} and
 *       {@link io.hookwarden.Violation} report; {@link io.hookwarden.InvalidPayloadException} refuses.
 *   <li>{@link io.hookwarden.WebhookEvent}, {@link io.hookwarden.EventAttribute}: the events of a delivery and where
 *       their type and version live; {@link io.hookwarden.Router} dispatches them to handlers ({@link
 *       io.hookwarden.UnmatchedEventException} when none matches).
 * </ul>
 *
 * <h2>Sign, for tests and tools</h2>
 *
 * <ul>
 *   <li>{@link io.hookwarden.WebhookSigner} signs a {@link io.hookwarden.WebhookMessage} with the same scheme code that
 *       verifies.
 * </ul>
 *
 * <h2>Configuration failures</h2>
 *
 * <ul>
 *   <li>{@link io.hookwarden.InvalidSecretException} (which key, which scheme) and {@link
 *       io.hookwarden.MissingOptionException} (which option), thrown when a verifier, signer or receiver is built;
 *       a delivery's own failures are {@link io.hookwarden.HookwardenException}s instead.
 * </ul>
 *
 * <p>Adapters (servlet, JAX-RS, Spring) translate an HTTP request into a {@link io.hookwarden.WebhookRequest}, call
 * {@link io.hookwarden.WebhookReceiver#receive(io.hookwarden.WebhookRequest.Builder, java.io.InputStream, long)},
 * write the {@link io.hookwarden.HttpAnswer}, and settle the delivery with the status they answered: nothing more.
 */
package io.hookwarden;
