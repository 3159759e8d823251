package io.hookwarden.spring.webflux;

import io.hookwarden.HttpAnswer;
import io.hookwarden.WebhookRequest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;

/**
 * The reactive side of the exchange with the core: a request's head as the core's {@link WebhookRequest}, its body read
 * under a cap as {@link DataBuffer}s without blocking, and an {@link HttpAnswer} written out verbatim. Stateless.
 */
final class ReactiveExchange {
    private ReactiveExchange() {}

    /** The request without its body: method, full URL with query, remote address, every header value in order. */
    static WebhookRequest.Builder head(ServerHttpRequest request) {
        WebhookRequest.Builder b = WebhookRequest.builder()
                .method(request.getMethod().name())
                .url(request.getURI().toString());
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote != null && remote.getAddress() != null) {
            b.remoteAddress(remote.getAddress().getHostAddress());
        }
        request.getHeaders().forEach((name, values) -> values.forEach(value -> b.header(name, value)));
        return b;
    }

    /** Writes an answer out verbatim: status, headers, body with its length. */
    static Mono<Void> write(HttpAnswer answer, ServerHttpResponse response) {
        response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
        answer.headers().forEach(response.getHeaders()::set);
        byte[] body = answer.body();
        response.getHeaders().setContentLength(body.length);
        if (body.length == 0) {
            return response.setComplete();
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /**
     * Reads a body without blocking, copying at most {@code limit + 1} bytes and releasing every buffer as soon as it is
     * copied. When one byte more than the limit arrived, the rest is read and dropped, never kept, until it ends, {@code
     * drainBytes} more were dropped or {@code drainTime} passed since the limit was crossed, so a sender that writes its
     * whole body before it reads receives the 413 rather than a reset.
     *
     * @param declaredLength the declared {@code Content-Length} within the limit, or negative when unknown
     * @return the bytes read: at most {@code limit}, or exactly {@code limit + 1} when the body is over the limit
     */
    static Mono<byte[]> readCapped(
            Flux<DataBuffer> body, int limit, long declaredLength, long drainBytes, Duration drainTime) {
        if (declaredLength >= 0 && declaredLength <= limit) {
            return readDeclared(body, (int) declaredLength);
        }
        return Mono.defer(() -> {
            Capped capped = new Capped(limit, declaredLength);
            return body.handle((DataBuffer buffer, SynchronousSink<Void> sink) -> {
                        try {
                            capped.take(buffer);
                        } finally {
                            DataBufferUtils.release(buffer);
                        }
                        if (capped.dropped > drainBytes) {
                            sink.complete();
                        }
                    })
                    .takeUntilOther(capped.over.asMono().then(Mono.delay(drainTime)))
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .then(Mono.fromSupplier(capped::bytes));
        });
    }

    /**
     * Reads a body whose {@code Content-Length} is within the limit: the server frames it by that length, so no more
     * than that arrives and nothing needs counting or draining. One copy into an array of exactly the bytes read.
     */
    private static Mono<byte[]> readDeclared(Flux<DataBuffer> body, int declaredLength) {
        if (declaredLength == 0) {
            return body.doOnNext(DataBufferUtils::release).then(Mono.just(new byte[0]));
        }
        return DataBufferUtils.join(body)
                .map(joined -> {
                    try {
                        byte[] bytes = new byte[joined.readableByteCount()];
                        joined.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(joined);
                    }
                })
                .defaultIfEmpty(new byte[0]);
    }

    /**
     * Reads and drops a refused body without keeping any of it, until it ends, more than {@code drainBytes} were
     * dropped or {@code drainTime} passed.
     */
    static Mono<Void> drain(Flux<DataBuffer> body, long drainBytes, Duration drainTime) {
        return Mono.defer(() -> {
            long[] dropped = {0};
            return body.handle((DataBuffer buffer, SynchronousSink<Void> sink) -> {
                        dropped[0] += buffer.readableByteCount();
                        DataBufferUtils.release(buffer);
                        if (dropped[0] > drainBytes) {
                            sink.complete();
                        }
                    })
                    .take(drainTime)
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .then();
        });
    }

    /** One body's bytes up to the limit and one more, and what was dropped after them. Used by one subscriber. */
    private static final class Capped {
        private final int keep;
        private final Sinks.Empty<Void> over = Sinks.empty();
        private byte[] bytes;
        private int length;
        private long dropped;

        Capped(int limit, long declaredLength) {
            this.keep = limit + 1;
            this.bytes = new byte[(int) Math.min(keep, declaredLength >= 0 ? declaredLength : 8192)];
        }

        void take(DataBuffer buffer) {
            int available = buffer.readableByteCount();
            int copy = Math.min(available, keep - length);
            if (copy > 0) {
                if (length + copy > bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(keep, Math.max(length + copy, 2L * bytes.length)));
                }
                buffer.read(bytes, length, copy);
                length += copy;
                if (length == keep) {
                    over.tryEmitEmpty();
                }
            }
            dropped += available - copy;
        }

        byte[] bytes() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
    }
}
