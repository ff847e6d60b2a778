package io.ascall.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The saga end to end, every service its own packaged process on real PostgreSQL and Kafka:
 * the happy path and each compensation.
 */
class SagaSystemTest {

    private static SagaSystem system;
    private static SagaClient saga;

    @BeforeAll
    static void startTheSystem() {
        system = SagaSystem.start("saga");
        saga = new SagaClient(system);
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aPaidCallIsOfferedAcceptedAndCompleted() {
        String region = SagaClient.uniqueRegion();
        String engineer = saga.registerEngineer("Park Ji-hoon", region, "WASHER", "DRYER");
        String callId = saga.paidCall("WASHER", region);

        JsonPath assigned = saga.awaitCall(callId, "ENGINEER_ASSIGNED");
        assertEquals(engineer, assigned.getString("engineerId"));
        assertEquals("Park Ji-hoon", assigned.getString("engineerName"));
        Map<String, Object> offer = saga.awaitAssignment(engineer, callId, "OFFERED");

        saga.act((String) offer.get("id"), "accept", engineer).then().statusCode(200);
        saga.awaitCall(callId, "DISPATCHED");
        saga.act((String) offer.get("id"), "complete", engineer).then().statusCode(200);
        saga.awaitCall(callId, "COMPLETED");
        assertEquals("APPROVED", saga.payment(callId).get("status"));
    }

    @Test
    void aDeclinedPaymentIsNeverOffered() {
        String region = SagaClient.uniqueRegion();
        String engineer = saga.registerEngineer("Choi Yuna", region, "TV");
        Response declined = saga.requestDeclinedCall("TV", region);
        assertEquals(422, declined.statusCode());
        String callId = declined.jsonPath().getString("callId");

        // a paid call in the same region, offered to the same engineer, shows the saga has moved on
        String paid = saga.paidCall("TV", region);
        saga.awaitAssignment(engineer, paid, "OFFERED");
        assertEquals("PAYMENT_FAILED", saga.call(callId).getString("status"));
        assertTrue(saga.assignmentsOf(engineer).stream().noneMatch(a -> callId.equals(a.get("callId"))));
        assertEquals("DECLINED", saga.payment(callId).get("status"));
    }

    @Test
    void withNoEngineerTheCallIsCancelledAndRefunded() {
        String callId = saga.paidCall("REFRIGERATOR", SagaClient.uniqueRegion());
        JsonPath cancelled = saga.awaitCall(callId, "CANCELLED");
        assertEquals("NO_ENGINEER", cancelled.getString("cancellationReason"));
        saga.awaitPayment(callId, "REFUNDED");
        saga.awaitRefundRecorded(callId);
    }

    @Test
    void aCustomerCancelWithdrawsTheOfferAndRefunds() {
        String region = SagaClient.uniqueRegion();
        String engineer = saga.registerEngineer("Jung Ha-eun", region, "AIR_CONDITIONER");
        String callId = saga.paidCall("AIR_CONDITIONER", region);
        Map<String, Object> offer = saga.awaitAssignment(engineer, callId, "OFFERED");

        saga.cancel(callId).then().statusCode(200);
        saga.awaitAssignment(engineer, callId, "WITHDRAWN");
        saga.awaitPayment(callId, "REFUNDED");
        saga.act((String) offer.get("id"), "accept", engineer).then().statusCode(409);
        assertEquals("CANCELLED", saga.call(callId).getString("status"));
    }

    @Test
    void anExpiredOfferGoesToTheNextEngineerAndARejectionEndsIt() {
        String region = SagaClient.uniqueRegion();
        String first = saga.registerEngineer("Kang Seo-yeon", region, "DISHWASHER");
        String second = saga.registerEngineer("Yoon Do-hyun", region, "DISHWASHER");
        String callId = saga.paidCall("DISHWASHER", region);

        // both engineers are idle: whoever is offered first lets the offer expire
        String offeredFirst = saga.awaitCall(callId, "ENGINEER_ASSIGNED").getString("engineerId");
        String offeredNext = offeredFirst.equals(first) ? second : first;
        saga.awaitAssignment(offeredFirst, callId, "EXPIRED");
        Map<String, Object> nextOffer = saga.awaitAssignment(offeredNext, callId, "OFFERED");
        assertEquals(offeredNext, saga.awaitCall(callId, "ENGINEER_ASSIGNED").getString("engineerId"));

        saga.act((String) nextOffer.get("id"), "reject", offeredNext).then().statusCode(200);
        JsonPath cancelled = saga.awaitCall(callId, "CANCELLED");
        assertEquals("NO_ENGINEER", cancelled.getString("cancellationReason"));
        assertEquals(2, cancelled.getInt("offersMade"));
        saga.awaitPayment(callId, "REFUNDED");
        assertNull(saga.call(callId).getString("engineerId"));
    }
}
