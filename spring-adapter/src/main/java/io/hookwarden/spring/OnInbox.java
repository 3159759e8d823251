package io.hookwarden.spring;

import io.hookwarden.spi.Inbox;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * The application has an {@link Inbox} bean, or {@code hookwarden.inbox.store} builds one ({@link InboxStores}): the
 * inbox's Actuator endpoint and health need an inbox, and the one built from the property is registered after their
 * conditions are read. Its own class, free of Lettuce's types, so that reading it loads nothing optional.
 */
final class OnInbox extends AnyNestedCondition {
    OnInbox() {
        super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBean(Inbox.class)
    static final class InboxBean {}

    @ConditionalOnProperty(prefix = "hookwarden.inbox", name = "store")
    static final class InboxStore {}
}
