package io.ascall.engineer.saga;

import java.util.Set;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.engineer.messaging.EventEnvelope;
import io.ascall.engineer.messaging.EventReceiver;
import io.ascall.engineer.messaging.UnreadableEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * call-service's facts that engineer-service follows ({@code call-events}), each mapped to its
 * step of the {@link DispatchSaga}. Every event is applied once and in call-service's order
 * per call ({@link EventReceiver}); an unreadable record or an unknown type goes to
 * {@code engineer-service.dlq}.
 */
@ApplicationScoped
public class CallEventsListener {

    static final Set<String> CALL_EVENTS = Set.of("CallRequested", "CallPaid", "CallPaymentFailed", "CallCancelled");

    private final EventReceiver receiver;
    private final DispatchSaga saga;
    private final ObjectMapper json;

    public CallEventsListener(EventReceiver receiver, DispatchSaga saga, ObjectMapper json) {
        this.receiver = receiver;
        this.saga = saga;
        this.json = json;
    }

    @Incoming("call-events")
    public Uni<Void> fromCallService(String payload) {
        return receiver.receive(payload, CALL_EVENTS, this::apply);
    }

    private Uni<Void> apply(EventEnvelope event) {
        return switch (event.type()) {
            case "CallRequested" -> saga.callRequested(event.callId(), read(event, CallEvent.CallRequested.class));
            case "CallPaid" -> saga.callPaid(event.callId());
            case "CallPaymentFailed" -> saga.callPaymentFailed(event.callId());
            case "CallCancelled" -> saga.callCancelled(event.callId());
            default -> throw new IllegalArgumentException("Not one of " + CALL_EVENTS + ": " + event.type());
        };
    }

    private <T> T read(EventEnvelope event, Class<T> fields) {
        try {
            return json.treeToValue(event.json(), fields);
        } catch (JsonProcessingException e) {
            throw new UnreadableEvent(event + ": " + e.getOriginalMessage());
        }
    }
}
