package io.hookwarden.samples.webflux;

import io.hookwarden.samples.support.ServerLimits;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Sets the sample's {@link ServerLimits} on Reactor Netty (docs/samples.md "Hardening"): a request whose body stalls
 * for {@code HOOKWARDEN_BODY_TIMEOUT} between reads, or takes longer than it in all, is cut off ({@code readTimeout},
 * {@code requestTimeout}), and an idle keep-alive connection is closed after it. The event loop never blocks on a
 * slow sender, so there is no thread pool to bound; Reactor Netty has no minimum data rate. Thread-safe.
 */
final class NettyHardening implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {
    private final ServerLimits limits;

    NettyHardening(ServerLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits cannot be null");
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        Duration timeout = Duration.ofMillis(limits.bodyTimeoutMillis());
        factory.addServerCustomizers(
                server -> server.readTimeout(timeout).requestTimeout(timeout).idleTimeout(timeout));
    }
}
