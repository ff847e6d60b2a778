package io.ascall.payment.service;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.ascall.events.EventTopic;
import io.ascall.messaging.EventReceiver;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/** The saga events payment-service follows: call-service's facts about calls. */
@ApplicationScoped
public class SagaListener {

    private final EventReceiver receiver;
    private final SagaSteps steps;

    public SagaListener(EventReceiver receiver, SagaSteps steps) {
        this.receiver = receiver;
        this.steps = steps;
    }

    @Incoming("call-events")
    public Uni<Void> fromCallService(KafkaRecordBatch<String, String> records) {
        return receiver.receive(records, EventTopic.CALL_EVENTS, steps::onCallEvent);
    }
}
