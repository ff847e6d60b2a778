package io.ascall.payment;

import static io.ascall.payment.PaymentTopics.WAIT;
import static io.ascall.payment.PaymentsApi.asOperator;
import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.pay;
import static io.ascall.payment.PaymentsApi.voidCall;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * payment-service in the saga, over the real Kafka broker and PostgreSQL: the events it publishes
 * through its outbox, and what it does on call-service's events, written here with a plain
 * producer so that duplicates, reordering and garbage can be injected.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class SagaTest {

    private static final long FEE = 30_000;
    private static PaymentTopics topics;

    @Inject
    TestDatabase database;

    @BeforeAll
    static void connect() {
        topics = new PaymentTopics();
    }

    @AfterAll
    static void disconnect() {
        topics.close();
    }

    /** A call paid through POST /payments, and the call-service events that say so (CallRequested #1, CallPaid #2). */
    private record PaidCall(UUID callId, String paymentId, CallEventFactory events, List<String> published) {}

    private static PaidCall paidCall() {
        UUID callId = newCallId();
        String customer = newCustomer("saga-");
        String paymentId = pay(callId, customer, FEE)
                .then()
                .statusCode(201)
                .body("status", equalTo("APPROVED"))
                .extract()
                .path("id");
        CallEventFactory events = new CallEventFactory(callId);
        return new PaidCall(
                callId, paymentId, events, List.of(events.requested(customer, FEE), events.paid(paymentId)));
    }

    private static void awaitStatus(String paymentId, String status) {
        await().atMost(WAIT)
                .untilAsserted(() ->
                        asOperator().get("/payments/{id}", paymentId).then().body("status", equalTo(status)));
    }

    private static void assertEvent(JsonNode event, String type, long sequence, String paymentId) {
        assertEquals(type, event.get("type").asText(), event.toString());
        assertEquals(sequence, event.get("sequence").asLong(), event.toString());
        assertEquals("payment-service", event.get("source").asText());
        assertEquals(paymentId, event.get("paymentId").asText());
    }

    // --- published ---

    @Test
    void anApprovedPaymentPublishesPaymentApprovedOnceEvenWhenThePostIsRetried() {
        UUID callId = newCallId();
        String customer = newCustomer("approved-");
        String paymentId =
                pay(callId, customer, FEE).then().statusCode(201).extract().path("id");
        pay(callId, customer, FEE).then().statusCode(200).body("id", equalTo(paymentId));

        JsonNode approved = topics.paymentEvents(callId, 1).get(0);
        assertEvent(approved, "PaymentApproved", 1, paymentId);
        assertEquals(callId.toString(), approved.get("callId").asText());
        assertEquals(customer, approved.get("customerId").asText());
        assertEquals(FEE, approved.get("amount").asLong());
        assertEquals("KRW", approved.get("currency").asText());
    }

    @Test
    void aDeclinedPaymentPublishesPaymentDeclinedWithTheReason() {
        UUID callId = newCallId();
        String paymentId = pay(callId, newCustomer("declined-"), FEE)
                .then()
                .statusCode(201)
                .body("status", equalTo("DECLINED"))
                .extract()
                .path("id");

        JsonNode declined = topics.paymentEvents(callId, 1).get(0);
        assertEvent(declined, "PaymentDeclined", 1, paymentId);
        assertEquals("card declined (simulated)", declined.get("reason").asText());
    }

    // --- consumed: CallCancelled ---

    @Test
    void aVoidOfACancelledCallConfirmsTheRefundTheSagaMade() {
        PaidCall call = paidCall();
        call.published().forEach(event -> topics.sendCallEvent(call.callId(), event));
        topics.sendCallEvent(call.callId(), call.events().cancelled("CUSTOMER"));
        awaitStatus(call.paymentId(), "REFUNDED");

        voidCall(call.callId(), "operator").then().statusCode(200).body("status", equalTo("REFUNDED"));
        assertEquals(2, topics.paymentEvents(call.callId(), 2).size(), "PaymentApproved, PaymentRefunded: no more");
    }

    @Test
    void aCancelledCallIsRefundedOnceEvenWhenItsCancellationArrivesTwice() {
        PaidCall call = paidCall();
        String cancelled = call.events().cancelled("CUSTOMER");
        call.published().forEach(event -> topics.sendCallEvent(call.callId(), event));
        topics.sendCallEvent(call.callId(), cancelled);
        topics.sendCallEvent(call.callId(), cancelled);

        awaitStatus(call.paymentId(), "REFUNDED");
        assertNotNull(
                database.gatewayCharge(UUID.fromString(call.paymentId())).getValue("refunded_at"),
                "the gateway gave the money back");
        topics.sendCallEvent(call.callId(), cancelled);

        List<JsonNode> events = topics.paymentEvents(call.callId(), 2);
        assertEvent(events.get(0), "PaymentApproved", 1, call.paymentId());
        assertEvent(events.get(1), "PaymentRefunded", 2, call.paymentId());
        assertEquals(FEE, events.get(1).get("amount").asLong());
        assertEquals("KRW", events.get(1).get("currency").asText());
        assertNull(database.find(UUID.fromString(call.paymentId())).refundDueAt(), "no refund left due");
    }

    @Test
    void aCancelledCallWithoutAnApprovedPaymentChangesNothing() {
        UUID declinedCall = newCallId();
        String customer = newCustomer("declined-");
        Map<String, Object> declined = pay(declinedCall, customer, FEE)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getMap("");
        CallEventFactory events = new CallEventFactory(declinedCall);
        topics.sendCallEvent(declinedCall, events.requested(customer, FEE));
        topics.sendCallEvent(declinedCall, events.paymentFailed("PAYMENT_DECLINED"));
        topics.sendCallEvent(declinedCall, events.cancelled("CUSTOMER"));

        UUID unpaidCall = newCallId();
        CallEventFactory unpaid = new CallEventFactory(unpaidCall);
        topics.sendCallEvent(unpaidCall, unpaid.requested(customer, FEE));
        topics.sendCallEvent(unpaidCall, unpaid.cancelled("NO_ENGINEER"));

        awaitApplied(unpaidCall, 2);
        awaitApplied(declinedCall, 3);
        assertEquals(
                declined,
                asOperator()
                        .get("/payments/{id}", declined.get("id"))
                        .then()
                        .extract()
                        .jsonPath()
                        .getMap(""));
        asOperator()
                .queryParam("callId", unpaidCall.toString())
                .get("/payments")
                .then()
                .body("size()", equalTo(0));
        assertEquals(1, topics.paymentEvents(declinedCall, 1).size());
        assertEquals(0, topics.paymentEvents(unpaidCall, 0).size());
    }

    // --- consumed: CallPaymentFailed ---

    @Test
    void anUnavailablePaymentAtCallServiceRefundsTheApprovedPaymentAsAVoidDoes() {
        UUID callId = newCallId();
        String customer = newCustomer("late-");
        String paymentId =
                pay(callId, customer, FEE).then().statusCode(201).extract().path("id");
        CallEventFactory events = new CallEventFactory(callId);
        topics.sendCallEvent(callId, events.requested(customer, FEE));
        topics.sendCallEvent(callId, events.paymentFailed("PAYMENT_UNAVAILABLE"));

        awaitStatus(paymentId, "REFUNDED");
        List<JsonNode> published = topics.paymentEvents(callId, 2);
        assertEvent(published.get(0), "PaymentApproved", 1, paymentId);
        assertEvent(published.get(1), "PaymentRefunded", 2, paymentId);
        assertEquals(1, database.gatewayCharges(customer));
    }

    @Test
    void anUnavailablePaymentOfACallWithoutPaymentLeavesATombstoneThatRefusesALatePayment() {
        UUID callId = newCallId();
        String customer = newCustomer("never-");
        CallEventFactory events = new CallEventFactory(callId);
        topics.sendCallEvent(callId, events.requested(customer, FEE));
        topics.sendCallEvent(callId, events.paymentFailed("PAYMENT_UNAVAILABLE"));

        String tombstone = await().atMost(WAIT)
                .until(
                        () -> asOperator()
                                .queryParam("callId", callId.toString())
                                .get("/payments")
                                .then()
                                .extract()
                                .jsonPath()
                                .<String>getList("id"),
                        ids -> ids.size() == 1)
                .get(0);
        asOperator()
                .get("/payments/{id}", tombstone)
                .then()
                .body("status", equalTo("VOIDED"))
                .body("customerId", equalTo(null))
                .body("amount", equalTo(0));

        JsonNode voided = topics.paymentEvents(callId, 1).get(0);
        assertEvent(voided, "PaymentVoided", 1, tombstone);
        assertFalse(voided.get("refunded").asBoolean());

        pay(callId, customer, FEE).then().statusCode(409).body("type", equalTo("urn:ascall:problem:payment-voided"));
        assertEquals(0, database.gatewayCharges(customer));
        assertEquals(1, topics.paymentEvents(callId, 1).size(), "the refused payment publishes nothing");
    }

    // --- delivery: order, garbage, crashes ---

    @Test
    void aCancellationThatOvertakesThePaymentIsParkedAndAppliedOnceTheGapFills() {
        PaidCall call = paidCall();
        String cancelled = call.events().cancelled("CUSTOMER");
        topics.sendCallEvent(call.callId(), call.published().get(0));
        topics.sendCallEvent(call.callId(), cancelled);

        // a later call's cancellation is applied: the channel went past #3, which waits for #2
        PaidCall marker = paidCall();
        marker.published().forEach(event -> topics.sendCallEvent(marker.callId(), event));
        topics.sendCallEvent(marker.callId(), marker.events().cancelled("CUSTOMER"));
        awaitStatus(marker.paymentId(), "REFUNDED");
        asOperator().get("/payments/{id}", call.paymentId()).then().body("status", equalTo("APPROVED"));

        topics.sendCallEvent(call.callId(), call.published().get(1));
        awaitStatus(call.paymentId(), "REFUNDED");
        List<JsonNode> events = topics.paymentEvents(call.callId(), 2);
        assertEvent(events.get(1), "PaymentRefunded", 2, call.paymentId());
    }

    @Test
    void unreadableAndUnknownRecordsGoToTheDeadLetterTopicAndTheChannelGoesOn() {
        PaidCall call = paidCall();
        String unknown = call.events().unknownType(); // #3: takes its place in the call's order
        topics.sendCallEvent(call.callId(), "{not json");
        call.published().forEach(event -> topics.sendCallEvent(call.callId(), event));
        topics.sendCallEvent(call.callId(), unknown);
        topics.sendCallEvent(call.callId(), call.events().cancelled("NO_ENGINEER"));
        awaitStatus(call.paymentId(), "REFUNDED");

        List<ConsumerRecord<String, String>> dead = topics.deadLetters(call.callId(), 2);
        assertEquals(2, dead.size(), "both bad records are dead-lettered");
        List<String> reasons = dead.stream()
                .map(r ->
                        new String(r.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .toList();
        assertTrue(reasons.get(0).contains("not JSON"), reasons.toString());
        assertTrue(reasons.get(1).contains("unknown event type 'CallTeleported'"), reasons.toString());
        assertEquals("{not json", dead.get(0).value());
        assertEquals(unknown, dead.get(1).value());
    }

    @Test
    void anEventMissingAFieldItsStepNeedsIsDeadLetteredWithoutHoldingUpTheCallsLaterEvents() {
        PaidCall call = paidCall();
        call.published().forEach(event -> topics.sendCallEvent(call.callId(), event));
        topics.sendCallEvent(call.callId(), call.events().paymentFailedWithoutReason());
        topics.sendCallEvent(call.callId(), call.events().cancelled("CUSTOMER"));
        awaitStatus(call.paymentId(), "REFUNDED");

        List<ConsumerRecord<String, String>> dead = topics.deadLetters(call.callId(), 1);
        assertEquals(1, dead.size());
        assertEquals(
                "CallPaymentFailed without 'failureReason'",
                new String(
                        dead.get(0).headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8));
    }

    @Test
    void aRefundLeftDueByAProcessThatDiedIsMadeByTheRefundWorker() {
        String customer = newCustomer("crashed-");
        Payment approved = Payment.pending(newCallId(), customer, FEE, "KRW", null, Instant.now());
        approved.approve(Instant.now());
        approved.requestRefund(Instant.now()); // committed with a CallCancelled; the process died before the gateway
        database.insert(approved);
        database.chargeAtGateway(approved);

        awaitStatus(approved.id().toString(), "REFUNDED");
        assertNotNull(database.gatewayCharge(approved.id()).getValue("refunded_at"));
        assertNull(database.find(approved.id()).refundDueAt());
        assertEvent(
                topics.paymentEvents(approved.callId(), 1).get(0),
                "PaymentRefunded",
                1,
                approved.id().toString());
    }

    /** Waits until the inbox applied call-service's events of the call up to {@code sequence}. */
    private void awaitApplied(UUID callId, long sequence) {
        await().atMost(WAIT).until(() -> database.lastAppliedSequence("call-service", callId) == sequence);
    }
}
