/**
 * Events in and out through Kafka: the transactional outbox ({@link io.ascall.engineer.messaging.Outbox},
 * {@link io.ascall.engineer.messaging.OutboxRelay}) and the idempotent, ordered inbox
 * ({@link io.ascall.engineer.messaging.Inbox}, {@link io.ascall.engineer.messaging.EventReceiver}).
 *
 * <p>A documented copy of call-service's {@code io.ascall.call.messaging} (services share no
 * runtime code, so each can be released on its own): the logic is identical, and only what names
 * the service differs — the events' {@code source} ({@code engineer-service}) and the
 * LISTEN/NOTIFY channel in {@code Outbox}, the topics and consumer group in
 * {@code application.properties}. {@link io.ascall.engineer.messaging.EngineerEvents}, the events
 * this service publishes, is its own. A change to the mechanism is made in every copy.
 */
package io.ascall.engineer.messaging;
