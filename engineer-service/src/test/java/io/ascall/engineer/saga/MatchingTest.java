package io.ascall.engineer.saga;

import static io.ascall.engineer.support.Engineers.act;
import static io.ascall.engineer.support.Engineers.api;
import static io.ascall.engineer.support.Engineers.assignmentsOf;
import static io.ascall.engineer.support.Engineers.awaitOffers;
import static io.ascall.engineer.support.Engineers.deactivate;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ascall.engineer.support.Database;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Kafka;
import io.ascall.engineer.support.TestCall;

/**
 * Whom a paid call is offered to: an active engineer of its region who repairs its appliance and
 * was not offered it before; the fewest open assignments first, then the fewest today, then the
 * lowest id.
 */
@EngineerServiceTest
class MatchingTest {

    @Test
    void offersThePaidCallToAnActiveEngineerOfItsRegionWhoRepairsIt() {
        String region = uniqueRegion("match");
        register("Elsewhere", uniqueRegion("elsewhere"), "WASHER");
        register("Wrong skills", region, "TV", "OVEN");
        deactivate(register("Inactive", region, "WASHER"));
        String match = register("Match", region, "DRYER", "WASHER");

        TestCall call = new TestCall("WASHER", region).requestAndPay();

        Map<String, Object> offer = awaitOffers(call.id, 1).get(0);
        assertEquals(match, offer.get("engineerId"));
        assertEquals("Match", offer.get("engineerName"));
        assertEquals("OFFERED", offer.get("status"));
        assertEquals(call.id.toString(), offer.get("callId"));
        assertEquals("WASHER", offer.get("applianceType"));
        assertEquals(region, offer.get("region"));
        assertEquals("12 Teheran-ro, Gangnam-gu", offer.get("address"));
        assertNull(offer.get("respondedAt"));
        assertNull(offer.get("completedAt"));
        assertEquals(
                Duration.ofMinutes(2),
                Duration.between(
                        Instant.parse((String) offer.get("offeredAt")), Instant.parse((String) offer.get("expiresAt"))),
                "engineer.offer.timeout");

        List<Kafka.Received> events = Kafka.awaitEvents(call.id, 1);
        Map<String, Object> assigned = events.get(0).json();
        assertEquals("EngineerAssigned", assigned.get("type"));
        assertEquals(offer.get("id"), assigned.get("assignmentId"));
        assertEquals(match, assigned.get("engineerId"));
        assertEquals("Match", assigned.get("engineerName"));
        assertEquals(Instant.parse((String) offer.get("expiresAt")), Instant.parse((String) assigned.get("expiresAt")));
        assertEquals("OFFERED", Database.dispatchState(call.id));
    }

    @Test
    void fewestOpenAssignmentsFirstThenTheLowestId() {
        String region = uniqueRegion("load");
        List<String> engineers = sorted(register("A", region, "WASHER"), register("B", region, "WASHER"));
        String low = engineers.get(0);
        String high = engineers.get(1);

        TestCall first = new TestCall("WASHER", region).requestAndPay();
        assertEquals(low, awaitOffers(first.id, 1).get(0).get("engineerId"), "a tie goes to the lowest id");

        TestCall second = new TestCall("WASHER", region).requestAndPay();
        assertEquals(high, awaitOffers(second.id, 1).get(0).get("engineerId"), "the one with fewer open assignments");

        // accepted is still open: both hold one call
        act((String) awaitOffers(first.id, 1).get(0).get("id"), "accept", low).statusCode(200);
        TestCall third = new TestCall("WASHER", region).requestAndPay();
        assertEquals(low, awaitOffers(third.id, 1).get(0).get("engineerId"), "a tie again");

        api().get("/engineers/" + low + "/assignments")
                .then()
                .statusCode(200)
                .body("items.callId", contains(third.id.toString(), first.id.toString()))
                .body("items.status", contains("OFFERED", "ACCEPTED"));
    }

    @Test
    void fewerAssignmentsTodayBreaksATieOfOpenAssignments() {
        String region = uniqueRegion("today");
        String washerOnly = register("Washers only", region, "WASHER");
        String busy = lowerIdThan(washerOnly, region);

        // only "busy" repairs TVs: it is offered the TV call, and rejects it
        TestCall tv = new TestCall("TV", region).requestAndPay();
        Map<String, Object> tvOffer = awaitOffers(tv.id, 1).get(0);
        assertEquals(busy, tvOffer.get("engineerId"));
        act((String) tvOffer.get("id"), "reject", busy).statusCode(200);
        Kafka.awaitEvents(tv.id, 3);

        // neither holds an open assignment; "busy" had one today, so despite its lower id...
        TestCall washer = new TestCall("WASHER", region).requestAndPay();
        assertEquals(washerOnly, awaitOffers(washer.id, 1).get(0).get("engineerId"));
    }

    @Test
    void neverOffersACallToTheSameEngineerTwice() {
        String region = uniqueRegion("twice");
        List<String> engineers = sorted(register("A", region, "OVEN"), register("B", region, "OVEN"));
        TestCall call = new TestCall("OVEN", region).requestAndPay();

        Map<String, Object> first = awaitOffers(call.id, 1).get(0);
        act((String) first.get("id"), "reject", (String) first.get("engineerId"))
                .statusCode(200);
        Map<String, Object> second = awaitOffers(call.id, 2).get(0);
        assertNotEquals(first.get("engineerId"), second.get("engineerId"));
        act((String) second.get("id"), "reject", (String) second.get("engineerId"))
                .statusCode(200);

        List<Kafka.Received> events = Kafka.awaitEvents(call.id, 5);
        assertEquals(
                List.of(
                        "EngineerAssigned",
                        "AssignmentRejected",
                        "EngineerAssigned",
                        "AssignmentRejected",
                        "NoEngineerAvailable"),
                events.stream().map(Kafka.Received::type).toList());
        assertEquals(2, events.get(4).json().get("offersMade"));
        assertEquals(engineers, sorted((String) first.get("engineerId"), (String) second.get("engineerId")));
        assertEquals(2, assignmentsOf(call.id).size());
        assertEquals("NO_ENGINEER", Database.dispatchState(call.id));
    }

    @Test
    void nobodyInTheRegionMeansNoEngineerAvailable() {
        String region = uniqueRegion("empty");
        register("Elsewhere", uniqueRegion("elsewhere"), "MICROWAVE");
        TestCall call = new TestCall("MICROWAVE", region).requestAndPay();

        List<Kafka.Received> events = Kafka.awaitEvents(call.id, 1);
        assertEquals("NoEngineerAvailable", events.get(0).type());
        assertEquals(0, events.get(0).json().get("offersMade"));
        assertEquals(List.of(), assignmentsOf(call.id));
        assertEquals("NO_ENGINEER", Database.dispatchState(call.id));
    }

    /** Ids in PostgreSQL's uuid order (byte order, which is the order of their lowercase text). */
    static List<String> sorted(String... ids) {
        return Arrays.stream(ids).sorted().toList();
    }

    /** Registers a WASHER and TV engineer in the region whose id is lower than {@code than}. */
    private static String lowerIdThan(String than, String region) {
        while (true) {
            String candidate = register("Busy", region, "WASHER", "TV");
            if (candidate.compareTo(than) < 0) {
                return candidate;
            }
            deactivate(candidate);
        }
    }
}
