package io.hookwarden.jaxrs;

/** The contract on Jersey over Grizzly with {@link StrictFramingAddOn}: no case skipped. */
class GrizzlyStrictFramingTest extends FeatureOverHttpContract {
    @Override
    JerseyServer.Container container() {
        return JerseyServer.Container.GRIZZLY_STRICT_FRAMING;
    }
}
