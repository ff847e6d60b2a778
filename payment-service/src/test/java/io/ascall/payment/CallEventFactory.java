package io.ascall.payment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.ascall.local.EventContract;

/**
 * Writes call-service's events about one call as call-service would (numbered in order), each
 * checked against docs/asyncapi.yaml, so that tests feed payment-service only valid events; the
 * tests choose the order in which they are delivered.
 */
public final class CallEventFactory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UUID callId;
    private long sequence;

    public CallEventFactory(UUID callId) {
        this.callId = callId;
    }

    public String requested(String customerId, long fee) {
        return valid(envelope("CallRequested")
                .put("customerId", customerId)
                .put("applianceType", "WASHER")
                .put("region", "Seoul-Gangnam")
                .put("address", "12 Teheran-ro")
                .put("fee", fee)
                .put("currency", "KRW"));
    }

    public String paid(Object paymentId) {
        return valid(envelope("CallPaid").put("paymentId", paymentId.toString()));
    }

    /** @param failureReason PAYMENT_UNAVAILABLE or PAYMENT_DECLINED */
    public String paymentFailed(String failureReason) {
        return valid(envelope("CallPaymentFailed").put("failureReason", failureReason));
    }

    /** @param reason CUSTOMER or NO_ENGINEER */
    public String cancelled(String reason) {
        return valid(envelope("CallCancelled").put("reason", reason));
    }

    /** A CallPaymentFailed without its required {@code failureReason}: what to do cannot be known. */
    public String paymentFailedWithoutReason() {
        return envelope("CallPaymentFailed").toString();
    }

    /** An event of a type the contract does not have (from a newer call-service, say). */
    public String unknownType() {
        return envelope("CallTeleported").toString();
    }

    private ObjectNode envelope(String type) {
        return JSON.createObjectNode()
                .put("eventId", UUID.randomUUID().toString())
                .put("type", type)
                .put("callId", callId.toString())
                .put("occurredAt", Instant.now().toString())
                .put("source", "call-service")
                .put("sequence", ++sequence);
    }

    private static String valid(ObjectNode event) {
        List<String> violations = EventContract.load().violations(event.toString());
        if (!violations.isEmpty()) {
            throw new IllegalStateException("a test event does not match docs/asyncapi.yaml: " + violations);
        }
        return event.toString();
    }
}
