package io.ascall.call.service;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.ascall.events.EventTopic;
import io.ascall.messaging.EventReceiver;
import io.smallrye.mutiny.Uni;
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
    public Uni<Void> fromEngineerService(String payload) {
        return receiver.receive(payload, EventTopic.ENGINEER_EVENTS, steps::onEngineerEvent);
    }

    @Incoming("payment-events")
    public Uni<Void> fromPaymentService(String payload) {
        return receiver.receive(payload, EventTopic.PAYMENT_EVENTS, steps::onPaymentEvent);
    }
}
