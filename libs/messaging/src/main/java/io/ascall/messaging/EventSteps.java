package io.ascall.messaging;

import io.ascall.events.SagaEvent;
import io.smallrye.mutiny.Uni;

/**
 * How a service applies the events of one topic: the step for each type, run inside the inbox's
 * transaction (so the effect and the record that the event was applied commit together). Every
 * event is applied by the step of its own type, also one that waited parked for an earlier one.
 *
 * <p>A step refuses an event that can never be applied, whatever happens later, by failing with
 * {@link InapplicableEvent}: it goes to the dead-letter topic and the call's later events go on.
 * Any other failure is retried.
 *
 * @param <E> the topic's family of events
 */
@FunctionalInterface
public interface EventSteps<E extends SagaEvent> {

    Uni<Void> apply(E event, EventEnvelope envelope);
}
