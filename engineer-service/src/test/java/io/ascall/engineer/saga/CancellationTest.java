package io.ascall.engineer.saga;

import static io.ascall.engineer.support.Engineers.act;
import static io.ascall.engineer.support.Engineers.assignment;
import static io.ascall.engineer.support.Engineers.assignmentsOf;
import static io.ascall.engineer.support.Engineers.awaitOffers;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static io.ascall.engineer.support.Problems.problem;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ascall.engineer.support.Database;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Kafka;
import io.ascall.engineer.support.TestCall;

/** A cancelled call is withdrawn from its engineer and never offered again; an unpaid one is never offered. */
@EngineerServiceTest
class CancellationTest {

    @Test
    void cancellingWithdrawsTheOfferAndOffersTheCallToNobodyElse() {
        String region = uniqueRegion("cancel");
        register("Ryu", region, "TV");
        register("Moon", region, "TV");
        TestCall call = new TestCall("TV", region).requestAndPay();
        Map<String, Object> offer = awaitOffers(call.id, 1).get(0);

        call.send(call.cancelled("CUSTOMER"));

        List<Kafka.Received> events = Kafka.awaitEvents(call.id, 2);
        assertEquals("AssignmentWithdrawn", events.get(1).type());
        assertEquals(offer.get("id"), events.get(1).json().get("assignmentId"));
        assertEquals(offer.get("engineerId"), events.get(1).json().get("engineerId"));
        assertEquals("WITHDRAWN", assignment((String) offer.get("id")).getString("status"));
        assertEquals("CANCELLED", Database.dispatchState(call.id));
        problem(act((String) offer.get("id"), "accept", (String) offer.get("engineerId")), 409, "conflict");
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> assignmentsOf(call.id).size(), equalTo(1));
        assertEquals(2, Kafka.eventsOf(call.id).size());
    }

    @Test
    void cancellingAfterAcceptanceWithdrawsTheDispatch() {
        String region = uniqueRegion("cancel-accepted");
        register("Jang", region, "OVEN");
        TestCall call = new TestCall("OVEN", region).requestAndPay();
        Map<String, Object> offer = awaitOffers(call.id, 1).get(0);
        act((String) offer.get("id"), "accept", (String) offer.get("engineerId"))
                .statusCode(200);

        call.send(call.cancelled("CUSTOMER"));

        assertEquals(
                List.of("EngineerAssigned", "AssignmentAccepted", "AssignmentWithdrawn"),
                Kafka.awaitEvents(call.id, 3).stream().map(Kafka.Received::type).toList());
        assertEquals("WITHDRAWN", assignment((String) offer.get("id")).getString("status"));
        problem(act((String) offer.get("id"), "complete", (String) offer.get("engineerId")), 409, "conflict");
        assertEquals("CANCELLED", Database.dispatchState(call.id));
    }

    @Test
    void theCancellationAfterNoEngineerWithdrawsNothing() {
        TestCall call = new TestCall("DRYER", uniqueRegion("nobody")).requestAndPay();
        assertEquals("NoEngineerAvailable", Kafka.awaitEvents(call.id, 1).get(0).type());

        call.send(call.cancelled("NO_ENGINEER"));

        await().atMost(Duration.ofSeconds(20)).until(() -> Database.dispatchState(call.id), equalTo("CANCELLED"));
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> Kafka.eventsOf(call.id).size(), equalTo(1));
    }

    @Test
    void aCallWhosePaymentFailedIsNeverOffered() {
        String region = uniqueRegion("unpaid");
        register("Baek", region, "WASHER");
        TestCall call = new TestCall("WASHER", region);
        call.send(call.requested(), call.paymentFailed());

        await().atMost(Duration.ofSeconds(20)).until(() -> Database.dispatchState(call.id), equalTo("PAYMENT_FAILED"));
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> Kafka.eventsOf(call.id).size(), equalTo(0));
        assertEquals(List.of(), assignmentsOf(call.id));
    }

    @Test
    void aCallCancelledBeforePaymentIsNeverOffered() {
        String region = uniqueRegion("cancel-unpaid");
        register("Nam", region, "WASHER");
        TestCall call = new TestCall("WASHER", region);
        call.send(call.requested(), call.cancelled("CUSTOMER"));

        await().atMost(Duration.ofSeconds(20)).until(() -> Database.dispatchState(call.id), equalTo("CANCELLED"));
        assertEquals(List.of(), assignmentsOf(call.id));
        assertEquals(0, Kafka.eventsOf(call.id).size());
    }
}
