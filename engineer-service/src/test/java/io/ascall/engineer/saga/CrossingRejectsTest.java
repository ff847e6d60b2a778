package io.ascall.engineer.saga;

import static io.ascall.engineer.support.Engineers.act;
import static io.ascall.engineer.support.Engineers.assignment;
import static io.ascall.engineer.support.Engineers.awaitOffers;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ascall.engineer.support.Database;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.TestCall;
import io.restassured.response.ValidatableResponse;

/**
 * A reject writes to two engineers' feeds, the one who declined and the one offered next, each
 * row locked until commit. Two steps crossing between the same two engineers deadlock; PostgreSQL
 * aborts one, and the reject runs again instead of failing.
 */
@EngineerServiceTest
class CrossingRejectsTest {

    @Test
    void aRejectAbortedToBreakADeadlockRunsAgain() throws Exception {
        String region = uniqueRegion("crossing");
        String first = register("Noh", region, "DISHWASHER");
        String second = register("Oh", region, "DISHWASHER");
        TestCall call = new TestCall("DISHWASHER", region).requestAndPay();
        Map<String, Object> offer = awaitOffers(call.id, 1).get(0);
        String holder = (String) offer.get("engineerId");
        String next = holder.equals(first) ? second : first;
        long deadlocksBefore = deadlocks();

        // another step holds the next engineer's feed, as a reject crossing this one would
        try (Connection other = Database.connect()) {
            other.setAutoCommit(false);
            lockFeedHead(other, next);
            CompletableFuture<ValidatableResponse> reject =
                    CompletableFuture.supplyAsync(() -> act((String) offer.get("id"), "reject", holder));
            // the reject now holds the declining engineer's feed and waits for the next one's
            Thread.sleep(300);
            lockFeedHead(other, holder);
            other.commit();
            reject.get(30, TimeUnit.SECONDS).statusCode(200);
        }

        assertEquals("REJECTED", assignment((String) offer.get("id")).getString("status"));
        List<Map<String, Object>> offers = awaitOffers(call.id, 2);
        assertEquals(next, offers.get(0).get("engineerId"), "offered to the next engineer after all");
        await().atMost(Duration.ofSeconds(10)).until(CrossingRejectsTest::deadlocks, greaterThan(deadlocksBefore));
    }

    /** Takes (and creates if need be) the engineer's feed head row lock, as appending to the feed does. */
    private static void lockFeedHead(Connection connection, String engineerId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("""
                insert into engineer_feed_head (engineer_id, last_seq) values (?, 1)
                on conflict (engineer_id) do update set last_seq = engineer_feed_head.last_seq""")) {
            lock.setObject(1, UUID.fromString(engineerId));
            lock.executeUpdate();
        }
    }

    private static long deadlocks() throws SQLException {
        try (Connection connection = Database.connect();
                PreparedStatement query = connection.prepareStatement(
                        "select deadlocks from pg_stat_database where datname = current_database()");
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
