package io.ascall.engineer.support;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A call as call-service would tell engineer-service about it: each method builds the next event
 * of the call (its own event id, the next sequence number), and {@link #send} publishes events
 * on {@code call-events} exactly as given, so that tests can repeat or reorder them.
 */
public final class TestCall {

    public final UUID id = UUID.randomUUID();
    public final String applianceType;
    public final String region;
    private long sequence;

    public TestCall(String applianceType, String region) {
        this.applianceType = applianceType;
        this.region = region;
    }

    public Map<String, Object> requested() {
        Map<String, Object> event = next("CallRequested");
        event.put("customerId", "customer-" + id);
        event.put("applianceType", applianceType);
        event.put("region", region);
        event.put("address", "12 Teheran-ro, Gangnam-gu");
        event.put("description", "drum does not spin");
        event.put("fee", 30000);
        event.put("currency", "KRW");
        return event;
    }

    public Map<String, Object> paid() {
        Map<String, Object> event = next("CallPaid");
        event.put("paymentId", UUID.randomUUID().toString());
        return event;
    }

    public Map<String, Object> paymentFailed() {
        Map<String, Object> event = next("CallPaymentFailed");
        event.put("failureReason", "PAYMENT_DECLINED");
        event.put("paymentId", UUID.randomUUID().toString());
        event.put("declineReason", "card declined (simulated)");
        return event;
    }

    public Map<String, Object> cancelled(String reason) {
        Map<String, Object> event = next("CallCancelled");
        event.put("reason", reason);
        return event;
    }

    /** Requested and paid: the call is then offered to an engineer. */
    public TestCall requestAndPay() {
        send(requested(), paid());
        return this;
    }

    @SafeVarargs
    public final TestCall send(Map<String, Object>... events) {
        for (Map<String, Object> event : events) {
            Kafka.sendCallEvent(id.toString(), Kafka.json(event));
        }
        return this;
    }

    private Map<String, Object> next(String type) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("type", type);
        event.put("callId", id.toString());
        event.put("occurredAt", Instant.now().toString());
        event.put("source", "call-service");
        event.put("sequence", ++sequence);
        return event;
    }
}
