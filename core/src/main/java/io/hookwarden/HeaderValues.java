package io.hookwarden;

import java.time.Instant;

/**
 * Reading header values on the hot path: a required or optional single value, the lower-case lookup key, and signed
 * timestamps. No regex, no exceptions for control flow; refusals are {@link WebhookVerificationException}s that name
 * the header, never its value's secret parts.
 */
final class HeaderValues {
    /** Seconds since the epoch at 9999-12-31T23:59:59Z: a larger timestamp is junk, not a date. */
    static final long MAX_EPOCH_SECONDS = 253_402_300_799L;

    private HeaderValues() {}

    /**
     * The single value of a required header, with surrounding blanks removed, looking up {@code name} as given (a
     * {@link #lookup(String)} key) and naming {@code display} in messages.
     *
     * @throws WebhookVerificationException MISSING_HEADER when absent; MALFORMED_HEADER when blank or given twice
     */
    static String required(Headers headers, String name, String display) {
        int i = headers.indexOf(name, 0);
        if (i < 0) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "header " + display + " is missing");
        }
        return single(headers, i, name, display);
    }

    /** Like {@link #required(Headers, String, String)} but null when the header is absent. */
    static String optional(Headers headers, String name, String display) {
        int i = headers.indexOf(name, 0);
        return i < 0 ? null : single(headers, i, name, display);
    }

    /** A header name in the form {@link Headers} looks names up by. */
    static String lookup(String name) {
        return name == null ? null : Headers.key(name);
    }

    /** The value of entry {@code first}, the first named {@code name}, refused when another entry has that name. */
    private static String single(Headers headers, int first, String name, String display) {
        if (headers.indexOf(name, first + 1) >= 0) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_HEADER,
                    "header " + display + " is given " + headers.all(name).size() + " times");
        }
        String value = headers.valueAt(first).strip();
        if (value.isEmpty()) {
            throw new WebhookVerificationException(Reason.MALFORMED_HEADER, "header " + display + " is empty");
        }
        return value;
    }

    /**
     * A timestamp of ASCII digits only: no sign, no blanks, no fraction, at most year 9999.
     *
     * @param millis whether the number counts milliseconds rather than seconds
     * @throws WebhookVerificationException MALFORMED_HEADER otherwise
     */
    static Instant timestamp(String text, String header, boolean millis) {
        long max = millis ? MAX_EPOCH_SECONDS * 1000 + 999 : MAX_EPOCH_SECONDS;
        int length = text.length();
        if (length == 0 || length > 19) {
            throw malformedTimestamp(header, length == 0 ? "is empty" : "is too large");
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw malformedTimestamp(header, "is not a number of " + (millis ? "milliseconds" : "seconds"));
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                throw malformedTimestamp(header, "is too large");
            }
        }
        return millis ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    /**
     * A timestamp in seconds or, from 13 digits on, milliseconds: a 13-digit seconds value is past the year 9999 and a
     * 12-digit milliseconds value before 1973, so the length decides (Zoom sends seconds, some libraries milliseconds).
     *
     * @throws WebhookVerificationException MALFORMED_HEADER when not a timestamp
     */
    static Instant timestampSecondsOrMillis(String text, String header) {
        return timestamp(text, header, text.length() >= 13);
    }

    /**
     * An RFC 3339 date-time with an offset ({@code 2021-09-08T21:30:40Z}, {@code 2019-11-16T10:11:12.634234626Z}), as
     * Zendesk and Twitch send it.
     *
     * @throws WebhookVerificationException MALFORMED_HEADER otherwise
     */
    static Instant rfc3339(String text, String header) {
        if (text.isEmpty() || text.length() > 64) {
            throw malformedTimestamp(header, "is not an RFC 3339 date-time");
        }
        try {
            Instant instant = java.time.OffsetDateTime.parse(
                            text, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
            if (instant.getEpochSecond() < 0 || instant.getEpochSecond() > MAX_EPOCH_SECONDS) {
                throw malformedTimestamp(header, "is out of range");
            }
            return instant;
        } catch (java.time.format.DateTimeParseException e) {
            throw malformedTimestamp(header, "is not an RFC 3339 date-time");
        }
    }

    private static WebhookVerificationException malformedTimestamp(String header, String problem) {
        return new WebhookVerificationException(
                Reason.MALFORMED_HEADER, "timestamp in header " + header + " " + problem);
    }
}
