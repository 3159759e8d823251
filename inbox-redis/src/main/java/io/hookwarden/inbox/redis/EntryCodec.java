package io.hookwarden.inbox.redis;

import io.hookwarden.Headers;
import io.hookwarden.spi.InboxEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link InboxEntry} as the one field of its stream entry holds it: a version byte, then each component in the
 * record's order, texts as a length and their UTF-8 bytes (length -1 for null), the headers as a count and their
 * (name, value) pairs in the order received, the body as a length and its raw bytes, instants as epoch milliseconds
 * (a presence byte before the optional one). Compact, binary-safe, and read back exactly.
 */
final class EntryCodec {
    private static final int VERSION = 1;
    private static final InboxEntry.Ordering[] ORDERINGS = InboxEntry.Ordering.values();

    private EntryCodec() {}

    static byte[] encode(InboxEntry e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(e.bodyLength() + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            text(out, e.endpoint());
            text(out, e.dedupeKey());
            text(out, e.schemeId());
            text(out, e.method());
            text(out, e.url());
            List<String> pairs = new ArrayList<>();
            e.headers().forEach((name, value) -> {
                pairs.add(name);
                pairs.add(value);
            });
            out.writeInt(pairs.size() / 2);
            for (String text : pairs) {
                text(out, text);
            }
            byte[] body = e.body();
            out.writeInt(body.length);
            out.write(body);
            text(out, e.remoteAddress());
            text(out, e.eventId());
            text(out, e.eventType());
            out.writeBoolean(e.eventTimestamp() != null);
            if (e.eventTimestamp() != null) {
                out.writeLong(e.eventTimestamp().toEpochMilli());
            }
            text(out, e.matchedKey());
            text(out, e.orderingKey());
            out.writeByte(e.ordering().ordinal());
            out.writeLong(e.sequence());
            out.writeLong(e.receivedAt().toEpochMilli());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalStateException when the bytes are not an entry this codec wrote */
    static InboxEntry decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException("stored entry has format version " + version + ", not " + VERSION);
            }
            String endpoint = text(in);
            String dedupeKey = text(in);
            String schemeId = text(in);
            String method = text(in);
            String url = text(in);
            int headerCount = in.readInt();
            Headers.Builder headers = Headers.builder();
            for (int i = 0; i < headerCount; i++) {
                headers.add(text(in), text(in));
            }
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            String remoteAddress = text(in);
            String eventId = text(in);
            String eventType = text(in);
            Instant eventTimestamp = in.readBoolean() ? Instant.ofEpochMilli(in.readLong()) : null;
            String matchedKey = text(in);
            String orderingKey = text(in);
            InboxEntry.Ordering ordering = ORDERINGS[in.readUnsignedByte()];
            long sequence = in.readLong();
            Instant receivedAt = Instant.ofEpochMilli(in.readLong());
            return new InboxEntry(
                    endpoint,
                    dedupeKey,
                    schemeId,
                    method,
                    url,
                    headers.build(),
                    body,
                    remoteAddress,
                    eventId,
                    eventType,
                    eventTimestamp,
                    matchedKey,
                    orderingKey,
                    ordering,
                    sequence,
                    receivedAt);
        } catch (IOException | RuntimeException x) {
            throw new IllegalStateException(
                    "stored entry cannot be read: " + x.getClass().getSimpleName(), x);
        }
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String text(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
