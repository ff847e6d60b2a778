package io.ascall.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A topic of the saga, the service that publishes on it, and every event type it carries
 * (docs/asyncapi.yaml's channels: the contract test keeps the two equal).
 *
 * @param <E> the sealed family of the topic's events
 */
public final class EventTopic<E extends SagaEvent> {

    public static final EventTopic<CallEvent> CALL_EVENTS = new EventTopic<>(
            "call-events",
            "call-service",
            CallEvent.class,
            List.of(CallRequested.class, CallPaid.class, CallPaymentFailed.class, CallCancelled.class));

    public static final EventTopic<PaymentEvent> PAYMENT_EVENTS = new EventTopic<>(
            "payment-events",
            "payment-service",
            PaymentEvent.class,
            List.of(PaymentApproved.class, PaymentDeclined.class, PaymentVoided.class, PaymentRefunded.class));

    public static final EventTopic<EngineerEvent> ENGINEER_EVENTS = new EventTopic<>(
            "engineer-events",
            "engineer-service",
            EngineerEvent.class,
            List.of(
                    EngineerAssigned.class,
                    AssignmentAccepted.class,
                    AssignmentRejected.class,
                    AssignmentExpired.class,
                    AssignmentWithdrawn.class,
                    ServiceCompleted.class,
                    NoEngineerAvailable.class));

    public static final List<EventTopic<?>> ALL = List.of(CALL_EVENTS, PAYMENT_EVENTS, ENGINEER_EVENTS);

    private final String name;
    private final String source;
    private final Class<E> family;
    private final Map<String, Class<? extends E>> types = new LinkedHashMap<>();

    private EventTopic(String name, String source, Class<E> family, List<Class<? extends E>> types) {
        this.name = name;
        this.source = source;
        this.family = family;
        types.forEach(type -> this.types.put(type.getSimpleName(), type));
    }

    /** The Kafka topic. */
    public String name() {
        return name;
    }

    /** The service that publishes on it: the {@code source} of its events. */
    public String source() {
        return source;
    }

    public Class<E> family() {
        return family;
    }

    /** The class of the event type of that name, if the topic carries one. */
    public Optional<Class<? extends E>> type(String typeName) {
        return Optional.ofNullable(types.get(typeName));
    }

    public Set<String> typeNames() {
        return types.keySet();
    }

    /** The topic an event is published on. */
    public static EventTopic<?> of(SagaEvent event) {
        return ALL.stream()
                .filter(topic -> topic.family.isInstance(event))
                .findFirst()
                .orElseThrow();
    }

    @Override
    public String toString() {
        return name;
    }
}
