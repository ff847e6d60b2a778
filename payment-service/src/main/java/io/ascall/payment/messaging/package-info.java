/**
 * How payment-service takes part in the saga over Kafka (docs/asyncapi.yaml).
 *
 * <p>{@link io.ascall.payment.messaging.PaymentEvents} is payment-service's own: the facts it
 * publishes about payments. Every other class here is this service's documented copy of the
 * messaging layer of call-service ({@code io.ascall.call.messaging}): transactional outbox
 * ({@code Outbox}, {@code OutboxEvent}, {@code OutboxRelay}), idempotent, ordered inbox
 * ({@code EventEnvelope}, {@code EventReceiver}, {@code Inbox}, {@code UnreadableEvent}), their
 * settings ({@code MessagingConfig}) and clean-up ({@code MessagingHousekeeping}), with the
 * schema of {@code db/migration/V2__messaging.sql}. Services share no runtime code, so each keeps
 * a copy; the copies must stay identical in logic, so that a later refactoring can compare them
 * file by file. They differ only in the package and in three constants:
 * {@code Outbox.SOURCE} ({@code payment-service}), {@code Outbox.WAKE_UP_CHANNEL}
 * ({@code payment_service_outbox}) and {@code OutboxRelay.PUBLISHER_LOCK}; the topics, consumer
 * group and dead-letter topic are in {@code application.properties}. A change to the mechanism
 * is made in every copy.
 */
package io.ascall.payment.messaging;
