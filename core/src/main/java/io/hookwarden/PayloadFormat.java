package io.hookwarden;

/**
 * What an endpoint requires its verified bodies to be; set with {@link WebhookReceiver.Builder#format(PayloadFormat)}.
 * A body that is not of the required format is refused with {@link Reason#MALFORMED_PAYLOAD} (400), after the
 * signature was verified and before the delivery is claimed.
 */
public enum PayloadFormat {
    /** Anything: the body is parsed only if the application asks for its JSON or form. The default without schemas. */
    ANY,
    /** One JSON document (one event), within the parsing limits. The default with schemas. */
    JSON,
    /**
     * A JSON array of events in one request (SendGrid-style batches); each element is resolved, validated and routed
     * as an event of its own, in array order.
     */
    JSON_BATCH,
    /** {@code application/x-www-form-urlencoded} parameters (Slack commands, Twilio). */
    FORM
}
