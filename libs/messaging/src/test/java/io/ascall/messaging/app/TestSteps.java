package io.ascall.messaging.app;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.ascall.events.CallCancelled;
import io.ascall.events.CallEvent;
import io.ascall.events.CallPaid;
import io.ascall.events.CallPaymentFailed;
import io.ascall.events.CallRequested;
import io.ascall.events.EventTopic;
import io.ascall.messaging.AfterCommit;
import io.ascall.messaging.EventEnvelope;
import io.ascall.messaging.EventReceiver;
import io.ascall.messaging.InapplicableEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The test application's steps: each records which step ran for which event, so a test sees that
 * every event was applied once, in order, by the step of its own type. A test can make the step
 * for one event fail: {@link #fail}.
 */
@ApplicationScoped
public class TestSteps {

    /** How the step of one event (call id and sequence) behaves. */
    public enum Fault {
        /** Throws once, then succeeds. */
        ONCE,
        /** Refuses the event for good ({@link InapplicableEvent}). */
        REFUSE,
        /** Throws every time, like a bug would. */
        ALWAYS
    }

    private final EventReceiver receiver;
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> committed = new ConcurrentHashMap<>();

    public TestSteps(EventReceiver receiver) {
        this.receiver = receiver;
    }

    @Incoming("call-events")
    public Uni<Void> fromCallService(KafkaRecordBatch<String, String> records) {
        return receiver.receive(records, EventTopic.CALL_EVENTS, this::apply);
    }

    public void fail(UUID callId, long sequence, Fault fault) {
        faults.put(callId + "#" + sequence, fault);
    }

    /** How often the step of the event was tried. */
    public int attempts(UUID callId, long sequence) {
        AtomicInteger count = attempts.get(callId + "#" + sequence);
        return count == null ? 0 : count.get();
    }

    /** How often the step's action after its commit ran ({@link AfterCommit#run}): once, when applied. */
    public int committed(UUID callId, long sequence) {
        AtomicInteger count = committed.get(callId + "#" + sequence);
        return count == null ? 0 : count.get();
    }

    private Uni<Void> apply(CallEvent event, EventEnvelope envelope) {
        String key = envelope.callId() + "#" + envelope.sequence();
        int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        Fault fault = faults.get(key);
        if (fault == Fault.REFUSE) {
            return Uni.createFrom().failure(new InapplicableEvent("refused by the test"));
        }
        if (fault == Fault.ALWAYS || (fault == Fault.ONCE && attempt == 1)) {
            return Uni.createFrom().failure(new IllegalStateException("a failing step (attempt " + attempt + ")"));
        }
        TestEffect effect = new TestEffect();
        effect.callId = envelope.callId();
        effect.eventType = event.type();
        effect.sequence = envelope.sequence();
        effect.detail = detail(event);
        AfterCommit.run(
                () -> committed.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet());
        return effect.persist().replaceWithVoid();
    }

    /** Proves the step got the typed event of its own type, with its fields. */
    private static String detail(CallEvent event) {
        if (event instanceof CallRequested requested) {
            return "requested " + requested.applianceType() + " for " + requested.customerId();
        }
        if (event instanceof CallPaid paid) {
            return "paid by " + paid.paymentId();
        }
        if (event instanceof CallPaymentFailed failed) {
            return "payment failed: " + failed.failureReason();
        }
        return "cancelled: " + ((CallCancelled) event).reason();
    }
}
