package io.ascall.engineer.saga;

import java.util.UUID;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.ascall.events.CallCancelled;
import io.ascall.events.CallEvent;
import io.ascall.events.CallPaid;
import io.ascall.events.CallPaymentFailed;
import io.ascall.events.CallRequested;
import io.ascall.events.EventTopic;
import io.ascall.messaging.EventEnvelope;
import io.ascall.messaging.EventReceiver;
import io.ascall.messaging.InapplicableEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * call-service's facts that engineer-service follows ({@code call-events}), each mapped to its
 * step of the {@link DispatchSaga}. Every event is applied once and in call-service's order per
 * call ({@link EventReceiver}); an unreadable record, an unknown type, or an event its step can
 * never apply goes to {@code engineer-service.dlq}.
 */
@ApplicationScoped
public class CallEventsListener {

    private final EventReceiver receiver;
    private final DispatchSaga saga;

    public CallEventsListener(EventReceiver receiver, DispatchSaga saga) {
        this.receiver = receiver;
        this.saga = saga;
    }

    @Incoming("call-events")
    public Uni<Void> fromCallService(KafkaRecordBatch<String, String> records) {
        return receiver.receive(records, EventTopic.CALL_EVENTS, this::apply);
    }

    private Uni<Void> apply(CallEvent event, EventEnvelope envelope) {
        UUID callId = envelope.callId();
        if (event instanceof CallRequested requested) {
            return saga.callRequested(callId, requested);
        }
        if (event instanceof CallPaid) {
            return saga.callPaid(callId);
        }
        if (event instanceof CallPaymentFailed) {
            return saga.callPaymentFailed(callId);
        }
        if (event instanceof CallCancelled) {
            return saga.callCancelled(callId);
        }
        throw new InapplicableEvent("engineer-service has no step for " + event.type());
    }
}
