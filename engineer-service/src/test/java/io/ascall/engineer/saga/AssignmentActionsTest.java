package io.ascall.engineer.saga;

import static io.ascall.engineer.support.Engineers.act;
import static io.ascall.engineer.support.Engineers.api;
import static io.ascall.engineer.support.Engineers.asEngineer;
import static io.ascall.engineer.support.Engineers.assignment;
import static io.ascall.engineer.support.Engineers.assignmentsOf;
import static io.ascall.engineer.support.Engineers.awaitOffers;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static io.ascall.engineer.support.Problems.problem;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ascall.engineer.support.Database;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Kafka;
import io.ascall.engineer.support.TestCall;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * An engineer's answers: accept, reject, complete, each sent with the engineer's own token. Every
 * action the assignment does not allow is a 409 that changes nothing; another engineer's offer is
 * no offer to them (404), and changes nothing either; repeating one that succeeded answers the
 * assignment as it is.
 */
@EngineerServiceTest
class AssignmentActionsTest {

    private TestCall call;
    private String assignmentId;
    private String holder;
    private String other;

    @BeforeEach
    void offerACall() {
        String region = uniqueRegion("actions");
        String first = register("Lee", region, "REFRIGERATOR");
        String second = register("Park", region, "REFRIGERATOR");
        call = new TestCall("REFRIGERATOR", region).requestAndPay();
        Map<String, Object> offer = awaitOffers(call.id, 1).get(0);
        assignmentId = (String) offer.get("id");
        holder = (String) offer.get("engineerId");
        other = holder.equals(first) ? second : first;
        Kafka.awaitEvents(call.id, 1);
    }

    @Test
    void acceptThenComplete() {
        Map<String, Object> accepted = act(assignmentId, "accept", holder)
                .statusCode(200)
                .body("status", equalTo("ACCEPTED"))
                .body("respondedAt", notNullValue())
                .extract()
                .jsonPath()
                .getMap("$");
        assertEquals(
                accepted,
                act(assignmentId, "accept", holder)
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getMap("$"),
                "accepting again answers the assignment unchanged");
        assertEquals("DISPATCHED", Database.dispatchState(call.id));

        Map<String, Object> completed = act(assignmentId, "complete", holder)
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("respondedAt", equalTo(accepted.get("respondedAt")))
                .body("completedAt", notNullValue())
                .extract()
                .jsonPath()
                .getMap("$");
        assertEquals(
                completed,
                act(assignmentId, "complete", holder)
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getMap("$"));
        assertEquals(completed, assignment(assignmentId).getMap("$"));
        assertEquals("COMPLETED", Database.dispatchState(call.id));

        List<Kafka.Received> events = Kafka.awaitEvents(call.id, 3);
        assertEquals(
                List.of("EngineerAssigned", "AssignmentAccepted", "ServiceCompleted"),
                events.stream().map(Kafka.Received::type).toList());
        for (Kafka.Received event : events.subList(1, 3)) {
            assertEquals(assignmentId, event.json().get("assignmentId"));
            assertEquals(holder, event.json().get("engineerId"));
        }
        noMoreEventsThan(3);
    }

    @Test
    void rejectOffersTheCallToTheNextEngineer() {
        Map<String, Object> rejected = act(assignmentId, "reject", holder)
                .statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("respondedAt", notNullValue())
                .extract()
                .jsonPath()
                .getMap("$");
        assertEquals(
                rejected,
                act(assignmentId, "reject", holder)
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getMap("$"),
                "rejecting again answers the assignment unchanged, and offers nothing more");

        Map<String, Object> next = awaitOffers(call.id, 2).get(0);
        assertEquals(other, next.get("engineerId"));
        assertEquals("OFFERED", next.get("status"));
        assertEquals(
                List.of("EngineerAssigned", "AssignmentRejected", "EngineerAssigned"),
                Kafka.awaitEvents(call.id, 3).stream().map(Kafka.Received::type).toList());
        noMoreEventsThan(3);
        assertEquals(2, assignmentsOf(call.id).size());
    }

    @Test
    void concurrentAcceptsAreOneAcceptance() {
        List<CompletableFuture<Integer>> answers = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(
                        () -> act(assignmentId, "accept", holder).extract().statusCode()))
                .toList();
        assertEquals(
                List.of(200, 200, 200, 200, 200, 200),
                answers.stream().map(CompletableFuture::join).toList());
        assertEquals(
                List.of("EngineerAssigned", "AssignmentAccepted"),
                Kafka.awaitEvents(call.id, 2).stream().map(Kafka.Received::type).toList());
        noMoreEventsThan(2);
    }

    @Test
    void anAcceptRacingARejectHasOneOutcome() {
        CompletableFuture<Integer> accept = CompletableFuture.supplyAsync(
                () -> act(assignmentId, "accept", holder).extract().statusCode());
        CompletableFuture<Integer> reject = CompletableFuture.supplyAsync(
                () -> act(assignmentId, "reject", holder).extract().statusCode());
        List<Integer> statuses = List.of(accept.join(), reject.join());
        String status = assignment(assignmentId).getString("status");
        if (status.equals("ACCEPTED")) {
            assertEquals(List.of(200, 409), statuses);
            assertEquals(
                    List.of("EngineerAssigned", "AssignmentAccepted"),
                    Kafka.awaitEvents(call.id, 2).stream()
                            .map(Kafka.Received::type)
                            .toList());
        } else {
            assertEquals("REJECTED", status);
            assertEquals(List.of(409, 200), statuses);
            assertEquals(
                    List.of("EngineerAssigned", "AssignmentRejected", "EngineerAssigned"),
                    Kafka.awaitEvents(call.id, 3).stream()
                            .map(Kafka.Received::type)
                            .toList());
        }
    }

    @Test
    void someoneElsesOffer() {
        notTheirs("accept", other);
        notTheirs("reject", other);
        notTheirs("complete", other);
        assertEquals("OFFERED", assignment(assignmentId).getString("status"));
        assertEquals("OFFERED", Database.dispatchState(call.id));
    }

    @Test
    void completingBeforeAccepting() {
        refused("complete", holder).body("detail", containsString("only an accepted assignment can be completed"));
    }

    @Test
    void rejectingAfterAccepting() {
        act(assignmentId, "accept", holder).statusCode(200);
        refused("reject", holder);
        notTheirs("complete", other);
        notTheirs("accept", other);
    }

    @Test
    void actingOnARejectedOffer() {
        act(assignmentId, "reject", holder).statusCode(200);
        awaitOffers(call.id, 2);
        refused("accept", holder);
        refused("complete", holder);
    }

    @Test
    void actingOnACompletedAssignment() {
        act(assignmentId, "accept", holder).statusCode(200);
        act(assignmentId, "complete", holder).statusCode(200);
        refused("reject", holder);
        notTheirs("accept", other);
    }

    @Test
    void actingOnAWithdrawnOffer() {
        call.send(call.cancelled("CUSTOMER"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> assignment(assignmentId).getString("status"), equalTo("WITHDRAWN"));
        refused("accept", holder);
        refused("reject", holder);
        refused("complete", holder);
    }

    /**
     * An answer has no body: the engineer is the token's. A body naming the engineer it was offered
     * to does not make another engineer that engineer, and one naming someone else does not stop
     * the engineer it was offered to; whatever the body holds, it is not read.
     */
    @Test
    void theEngineerIsTheTokensNotTheBodys() {
        String path = "/assignments/" + assignmentId + "/accept";
        problem(
                asEngineer(other)
                        .contentType(ContentType.JSON)
                        .body(Map.of("engineerId", holder))
                        .post(path)
                        .then(),
                404,
                "not-found");
        assertEquals("OFFERED", assignment(assignmentId).getString("status"));
        problem(api().get(path).then(), 405, "method-not-allowed");
        asEngineer(holder)
                .contentType(ContentType.TEXT)
                .body("{\"engineerId\":")
                .post(path)
                .then()
                .statusCode(200)
                .body("status", equalTo("ACCEPTED"))
                .body("engineerId", equalTo(holder));
        asEngineer(holder)
                .contentType(ContentType.JSON)
                .body(Map.of("engineerId", other))
                .post("/assignments/" + assignmentId + "/complete")
                .then()
                .statusCode(200)
                .body("engineerId", equalTo(holder));
        assertEquals(
                List.of("EngineerAssigned", "AssignmentAccepted", "ServiceCompleted"),
                Kafka.awaitEvents(call.id, 3).stream().map(Kafka.Received::type).toList());
        noMoreEventsThan(3);
    }

    @Test
    void unknownAssignments() {
        String unknown = UUID.randomUUID().toString();
        problem(api().get("/assignments/" + unknown).then(), 404, "not-found")
                .body("instance", equalTo("/assignments/" + unknown));
        problem(api().get("/assignments/not-a-uuid").then(), 404, "not-found");
        problem(act(unknown, "accept", holder), 404, "not-found");
        problem(act("not-a-uuid", "reject", holder), 404, "not-found");
        problem(api().get("/assignments").then(), 400, "validation").body("errors[0].field", equalTo("callId"));
        problem(api().queryParam("callId", "nope").get("/assignments").then(), 400, "validation")
                .body("errors[0].field", equalTo("callId"));
        api().queryParam("callId", unknown)
                .get("/assignments")
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
    }

    /**
     * The action by an engineer the assignment was not offered to: as if there were no such
     * assignment (404), and the call's assignments and events are as they were.
     */
    private void notTheirs(String action, String engineerId) {
        List<Map<String, Object>> before = assignmentsOf(call.id);
        int events = settledEventCount();
        problem(act(assignmentId, action, engineerId), 404, "not-found")
                .body("instance", equalTo("/assignments/" + assignmentId + "/" + action))
                .body("detail", equalTo("No assignment " + assignmentId));
        assertEquals(before, assignmentsOf(call.id), action + " by " + engineerId + " changed an assignment");
        noMoreEventsThan(events);
    }

    /** The action is a 409 conflict, and the call's assignments and events are as they were. */
    private ValidatableResponse refused(String action, String engineerId) {
        List<Map<String, Object>> before = assignmentsOf(call.id);
        int events = settledEventCount();
        ValidatableResponse response = problem(act(assignmentId, action, engineerId), 409, "conflict")
                .body("instance", equalTo("/assignments/" + assignmentId + "/" + action));
        assertEquals(before, assignmentsOf(call.id), action + " by " + engineerId + " changed an assignment");
        noMoreEventsThan(events);
        return response;
    }

    /** Waits a moment for what the relay might still publish, and checks it published nothing more. */
    private void noMoreEventsThan(int count) {
        await().during(Duration.ofMillis(1000))
                .atMost(Duration.ofSeconds(5))
                .until(() -> Kafka.eventsOf(call.id).size(), equalTo(count));
    }

    /** How many events the call has once the relay has published what the steps so far recorded. */
    private int settledEventCount() {
        int[] seen = {-1};
        await().pollInterval(Duration.ofMillis(700))
                .atMost(Duration.ofSeconds(10))
                .until(() -> {
                    int now = Kafka.eventsOf(call.id).size();
                    boolean settled = now == seen[0];
                    seen[0] = now;
                    return settled;
                });
        return seen[0];
    }
}
