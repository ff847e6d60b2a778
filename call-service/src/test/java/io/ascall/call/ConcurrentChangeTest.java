package io.ascall.call;

import static io.ascall.call.support.Calls.api;
import static io.ascall.call.support.Calls.newCall;
import static io.ascall.call.support.Calls.post;
import static io.ascall.call.support.Calls.uniqueCustomer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ascall.call.support.CallServiceTest;
import io.ascall.local.LocalEnvironment;
import io.restassured.response.Response;

/**
 * A customer's cancellation, a saga step and the reconciler may change one call at the same
 * moment. The later change must wait for the earlier one and then decide on what it left, never
 * fail on the row's version (a 500 the system tests met under load in CI).
 */
@CallServiceTest
class ConcurrentChangeTest {

    @Test
    void aCancellationWhileASagaStepIsCommittingWaitsForItAndSucceeds() throws Exception {
        String callId = post(newCall(uniqueCustomer("concurrent-")))
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        try (Connection step = database()) {
            // another transaction has changed the call (as a saga step does) and not committed yet
            step.setAutoCommit(false);
            try (var change = step.prepareStatement(
                    "update repair_call set version = version + 1, updated_at = now() where id = ?")) {
                change.setObject(1, UUID.fromString(callId));
                assertEquals(1, change.executeUpdate());
            }
            CompletableFuture<Response> cancel =
                    CompletableFuture.supplyAsync(() -> api().post("/calls/" + callId + "/cancel"));
            Thread.sleep(1_500);
            assertFalse(cancel.isDone(), "the cancellation waits for the change in progress");
            step.commit();

            Response answer = cancel.get(20, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.asString());
            assertEquals("CANCELLED", answer.jsonPath().getString("status"));
        }
        api().get("/calls/" + callId).then().statusCode(200);
        assertEquals("CANCELLED", api().get("/calls/" + callId).jsonPath().getString("status"));
    }

    @Test
    void aDoubleTapOfCancelAnswersTheSameToEveryTapAndCancelsOnce() throws Exception {
        String callId = post(newCall(uniqueCustomer("double-tap-")))
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
        java.util.concurrent.ExecutorService taps = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.List<CompletableFuture<Response>> answers = new java.util.ArrayList<>();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < 6; i++) {
                answers.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return api().post("/calls/" + callId + "/cancel");
                        },
                        taps));
            }
            start.countDown();
            for (CompletableFuture<Response> answer : answers) {
                Response cancelled = answer.get(30, TimeUnit.SECONDS);
                assertEquals(200, cancelled.statusCode(), cancelled.asString());
                assertEquals("CANCELLED", cancelled.jsonPath().getString("status"));
            }
        } finally {
            taps.shutdownNow();
        }
        try (Connection db = database();
                var query = db.prepareStatement(
                        "select count(*) from outbox_event where call_id = ? and type = 'CallCancelled'")) {
            query.setObject(1, UUID.fromString(callId));
            try (var rows = query.executeQuery()) {
                rows.next();
                assertEquals(1, rows.getLong(1), "one CallCancelled, however many taps");
            }
        }
    }

    private static Connection database() throws Exception {
        var postgres = LocalEnvironment.shared().postgres();
        return DriverManager.getConnection(postgres.jdbcUrl("call"), postgres.username(), postgres.password());
    }
}
