package io.ascall.engineer.saga;

import static io.ascall.engineer.support.Engineers.act;
import static io.ascall.engineer.support.Engineers.assignment;
import static io.ascall.engineer.support.Engineers.awaitOffers;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static io.ascall.engineer.support.Problems.problem;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.ascall.engineer.support.Database;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Kafka;
import io.ascall.engineer.support.TestCall;
import io.quarkus.test.junit.TestProfile;

/** An offer nobody answers in time goes to the next engineer; when none is left, NoEngineerAvailable. */
@EngineerServiceTest
@TestProfile(ShortOffers.class)
class OfferExpiryTest {

    @Test
    void anUnansweredOfferGoesToTheNextEngineerThenToNobody() {
        String region = uniqueRegion("expiry");
        register("Kang", region, "AIR_CONDITIONER");
        register("Cho", region, "AIR_CONDITIONER");
        TestCall call = new TestCall("AIR_CONDITIONER", region).requestAndPay();

        List<Kafka.Received> events =
                await().atMost(Duration.ofSeconds(20)).until(() -> Kafka.eventsOf(call.id), list -> list.size() == 5);
        assertEquals(
                List.of(
                        "EngineerAssigned",
                        "AssignmentExpired",
                        "EngineerAssigned",
                        "AssignmentExpired",
                        "NoEngineerAvailable"),
                events.stream().map(Kafka.Received::type).toList());
        assertEquals(
                LongStream.rangeClosed(1, 5).boxed().toList(),
                events.stream()
                        .map(event -> ((Number) event.json().get("sequence")).longValue())
                        .toList());
        assertEquals(
                events.get(0).json().get("assignmentId"), events.get(1).json().get("assignmentId"));
        assertEquals(
                events.get(2).json().get("assignmentId"), events.get(3).json().get("assignmentId"));
        assertNotEquals(
                events.get(0).json().get("engineerId"), events.get(2).json().get("engineerId"));
        assertEquals(2, events.get(4).json().get("offersMade"));
        assertEquals("NO_ENGINEER", Database.dispatchState(call.id));

        List<Map<String, Object>> offers = awaitOffers(call.id, 2);
        for (Map<String, Object> offer : offers) {
            assertEquals("EXPIRED", offer.get("status"));
            problem(act((String) offer.get("id"), "accept", (String) offer.get("engineerId")), 409, "conflict");
            problem(act((String) offer.get("id"), "reject", (String) offer.get("engineerId")), 409, "conflict");
        }
    }

    @Test
    void anAcceptedOfferDoesNotExpire() {
        String region = uniqueRegion("in-time");
        register("Han", region, "DISHWASHER");
        register("Seo", region, "DISHWASHER");
        TestCall call = new TestCall("DISHWASHER", region).requestAndPay();
        Map<String, Object> offer = awaitOffers(call.id, 1).get(0);
        act((String) offer.get("id"), "accept", (String) offer.get("engineerId"))
                .statusCode(200);

        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> assignment((String) offer.get("id")).getString("status"), equalTo("ACCEPTED"));
        assertEquals(
                List.of("EngineerAssigned", "AssignmentAccepted"),
                Kafka.eventsOf(call.id).stream().map(Kafka.Received::type).toList());
    }

    /**
     * The expiry job skips a call whose row another transaction holds (another replica's job, an
     * answer in progress) instead of waiting for it: other calls' offers still expire, and the held
     * one expires exactly once after the lock is released.
     */
    @Test
    void aCallHeldByAnotherTransactionIsSkippedNotWaitedFor() throws Exception {
        String region = uniqueRegion("locked");
        register("Oh", region, "MICROWAVE");
        TestCall held = new TestCall("MICROWAVE", region).requestAndPay();
        Map<String, Object> heldOffer = awaitOffers(held.id, 1).get(0);

        String otherRegion = uniqueRegion("free");
        register("Shin", otherRegion, "MICROWAVE");
        TestCall free;
        try (Connection lock = Database.lockDispatch(held.id)) {
            free = new TestCall("MICROWAVE", otherRegion).requestAndPay();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Kafka.eventsOf(free.id).size(), equalTo(3));
            assertEquals(
                    "OFFERED",
                    assignment((String) heldOffer.get("id")).getString("status"),
                    "expired although another transaction held the call");
            lock.rollback();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> assignment((String) heldOffer.get("id")).getString("status"), equalTo("EXPIRED"));
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(
                        () -> Kafka.eventsOf(held.id).stream()
                                .map(Kafka.Received::type)
                                .toList(),
                        equalTo(List.of("EngineerAssigned", "AssignmentExpired", "NoEngineerAvailable")));
    }
}
