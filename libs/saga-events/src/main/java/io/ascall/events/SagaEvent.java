package io.ascall.events;

/**
 * A fact one service of the saga publishes about a call (docs/asyncapi.yaml). Each event is a
 * record of its own fields; the envelope (event id, call id, source, sequence, time) is added by
 * the outbox that publishes it. The record's simple name is the event's {@code type}.
 *
 * <p>Sealed, so that a consumer's steps can be checked to cover every event of a topic, and so
 * that the catalogue ({@link EventTopic}) and the contract test know the complete list.
 */
public sealed interface SagaEvent permits CallEvent, PaymentEvent, EngineerEvent {

    /** The event's name on the wire: its {@code type} field. */
    default String type() {
        return getClass().getSimpleName();
    }
}
