package io.hookwarden.jaxrs;

/** The contract on Jersey over the JDK's own HTTP server. */
class JdkHttpServerTest extends FeatureOverHttpContract {
    @Override
    JerseyServer.Container container() {
        return JerseyServer.Container.JDK_HTTP;
    }
}
