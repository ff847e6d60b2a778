package io.ascall.call.service;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.ascall.events.EventTopic;
import io.ascall.messaging.EventReceiver;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/** The saga events call-service follows, from engineer-service and payment-service. */
@ApplicationScoped
public class SagaListener {

    private final EventReceiver receiver;
    private final SagaSteps steps;

    public SagaListener(EventReceiver receiver, SagaSteps steps) {
        this.receiver = receiver;
        this.steps = steps;
    }

    @Incoming("engineer-events")
    public Uni<Void> fromEngineerService(KafkaRecordBatch<String, String> records) {
        return receiver.receive(records, EventTopic.ENGINEER_EVENTS, steps::onEngineerEvent);
    }

    @Incoming("payment-events")
    public Uni<Void> fromPaymentService(KafkaRecordBatch<String, String> records) {
        return receiver.receive(records, EventTopic.PAYMENT_EVENTS, steps::onPaymentEvent);
    }
}
