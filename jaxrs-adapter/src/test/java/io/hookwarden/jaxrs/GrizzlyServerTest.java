package io.hookwarden.jaxrs;

/** The contract on Jersey over Grizzly. */
class GrizzlyServerTest extends FeatureOverHttpContract {
    @Override
    JerseyServer.Container container() {
        return JerseyServer.Container.GRIZZLY;
    }
}
