package io.hookwarden;

import io.hookwarden.spi.Inbox;
import io.hookwarden.spi.InboxEntry;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * An endpoint's inbox, both ways: what a receiver writes for a verified delivery ({@link #entry}: the raw body, the
 * headers without credentials, the URL without its query unless the scheme signs it, the event's metadata and
 * ordering), and the {@link VerifiedWebhook} a worker rebuilds from it ({@link #restore}). Immutable and thread-safe.
 */
final class InboxEndpoint {
    /** Dropped from every stored delivery, whatever the scheme: they carry credentials. */
    private static final String[] CREDENTIAL_HEADERS = {"Authorization", "Proxy-Authorization", "Cookie"};

    private final Inbox inbox;
    private final HttpAnswer acceptAnswer;
    private final InboxEntry.Ordering ordering;
    private final EventAttribute orderingKey;
    private final EventAttribute sequence;

    InboxEndpoint(
            Inbox inbox,
            int acceptStatus,
            InboxEntry.Ordering ordering,
            EventAttribute orderingKey,
            EventAttribute sequence) {
        this.inbox = inbox;
        this.acceptAnswer = HttpAnswer.empty(acceptStatus);
        this.ordering = ordering == null ? InboxEntry.Ordering.NONE : ordering;
        this.orderingKey = orderingKey;
        this.sequence = sequence;
    }

    Inbox inbox() {
        return inbox;
    }

    HttpAnswer acceptAnswer() {
        return acceptAnswer;
    }

    InboxEntry.Ordering ordering() {
        return ordering;
    }

    /**
     * The entry for a verified delivery. A delivery of an ordered endpoint whose ordering key (or configured sequence)
     * cannot be read is written unordered ({@link InboxEntry.Ordering#NONE}): it runs at once, in parallel, rather than
     * being refused, since the provider's retry would carry the same body.
     */
    InboxEntry entry(String endpoint, String dedupeKey, VerifiedWebhook webhook, Clock clock) {
        Scheme scheme = webhook.schemeObject();
        WebhookRequest request = webhook.request();
        String key = null;
        long position = 0;
        if (ordering != InboxEntry.Ordering.NONE) {
            key = attribute(orderingKey, webhook);
            if (key != null) {
                Long seq = sequenceOf(webhook);
                if (seq == null) {
                    key = null;
                } else {
                    position = seq;
                    key = bounded(key);
                }
            }
        }
        return new InboxEntry(
                endpoint,
                bounded(dedupeKey),
                scheme.id(),
                request.method(),
                storedUrl(request.url().orElse(null), scheme.signsUrl()),
                storedHeaders(request.headers(), scheme),
                request.bodyBytes(),
                request.remoteAddress().orElse(null),
                webhook.id().orElse(null),
                webhook.eventType().orElse(null),
                webhook.timestamp().map(t -> t.truncatedTo(ChronoUnit.MILLIS)).orElse(null),
                webhook.matchedKey(),
                key,
                key == null ? InboxEntry.Ordering.NONE : ordering,
                key == null ? 0 : position,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * Where the delivery stands among its key's: the configured sequence (a whole number, or an ISO-8601 instant as
     * epoch milliseconds), else the provider's signed timestamp in milliseconds, else 0 (then the order written).
     * Null when a configured sequence cannot be read.
     */
    private Long sequenceOf(VerifiedWebhook webhook) {
        if (sequence == null) {
            return webhook.timestamp().map(Instant::toEpochMilli).orElse(0L);
        }
        String text = attribute(sequence, webhook);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException notANumber) {
            try {
                return Instant.parse(text.strip()).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException notAnInstant) {
                return null;
            }
        }
    }

    /** An attribute's value; an attribute that throws (the application's own) counts as absent. */
    private static String attribute(EventAttribute attribute, VerifiedWebhook webhook) {
        try {
            String value = attribute.of(webhook, null);
            return value == null || value.isEmpty() ? null : value;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A key an inbox can hold: longer than {@link InboxEntry#MAX_KEY_LENGTH}, or holding a NUL character (which
     * databases refuse in text), its SHA-256 instead.
     */
    static String bounded(String key) {
        if (key.length() <= InboxEntry.MAX_KEY_LENGTH && key.indexOf('\u0000') < 0) {
            return key;
        }
        return "sha256:" + HexFormat.of().formatHex(Codec.sha256().digest(Codec.utf8(key)));
    }

    /**
     * The URL without credentials (user information) and, unless the scheme signs the URL, without its query and
     * fragment: a query may carry a token, and nothing downstream reads it.
     */
    static String storedUrl(String url, boolean signed) {
        if (url == null) {
            return null;
        }
        String kept = url;
        if (!signed) {
            int cut = indexOfAny(kept, '?', '#');
            if (cut >= 0) {
                kept = kept.substring(0, cut);
            }
        }
        int scheme = kept.indexOf("://");
        if (scheme > 0) {
            int authorityStart = scheme + 3;
            int authorityEnd = indexOfAny(kept, authorityStart, '/', '?', '#');
            int at = kept.lastIndexOf('@', authorityEnd < 0 ? kept.length() : authorityEnd);
            if (at >= authorityStart) {
                kept = kept.substring(0, authorityStart) + kept.substring(at + 1);
            }
        }
        return kept;
    }

    private static int indexOfAny(String s, char... chars) {
        return indexOfAny(s, 0, chars);
    }

    private static int indexOfAny(String s, int from, char... chars) {
        for (int i = from; i < s.length(); i++) {
            for (char c : chars) {
                if (s.charAt(i) == c) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The headers without those that carry a credential: the common ones, and the scheme's own secret header. */
    static Headers storedHeaders(Headers headers, Scheme scheme) {
        Headers.Builder kept = Headers.builder();
        headers.forEach((name, value) -> {
            if (!carriesCredential(name, scheme)) {
                kept.add(name, value);
            }
        });
        return kept.build();
    }

    private static boolean carriesCredential(String name, Scheme scheme) {
        for (String credential : CREDENTIAL_HEADERS) {
            if (Headers.sameName(credential, name)) {
                return true;
            }
        }
        return scheme.carriesSecret(name);
    }

    /** The request a stored delivery came as, and the verified delivery its handler gets, as the receiver read it. */
    static VerifiedWebhook restore(InboxEntry entry, Scheme scheme, VerifiedWebhook.PayloadOptions options) {
        WebhookRequest request = WebhookRequest.builder()
                .method(entry.method())
                .url(entry.url())
                .headers(entry.headers())
                .wrapBody(entry.body())
                .remoteAddress(entry.remoteAddress())
                .build();
        return VerifiedWebhook.restored(
                scheme,
                request,
                entry.eventId(),
                entry.eventTimestamp(),
                entry.eventType(),
                entry.matchedKey(),
                options);
    }
}
