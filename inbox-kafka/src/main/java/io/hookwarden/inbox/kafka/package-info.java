/**
 * The inbox on Apache Kafka: {@link io.hookwarden.inbox.kafka.KafkaInbox} publishes each verified delivery and the
 * receiver answers once the broker acknowledged it; {@link io.hookwarden.inbox.kafka.KafkaInboxWorker} consumes the
 * topic and runs the handlers with a dedupe store, retries and dead letters; {@link
 * io.hookwarden.inbox.kafka.KafkaDeadLetters} lists and replays the dead letters. The record format is in
 * docs/inbox-kafka.md.
 */
package io.hookwarden.inbox.kafka;
