package io.ascall.engineer.saga;

import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.engineer.support.Database;
import io.ascall.engineer.support.EngineerServiceTest;

/**
 * What one match costs does not grow with the data: the matcher's own query
 * ({@link EngineerMatcher#BEST_CANDIDATE}), run by PostgreSQL with EXPLAIN ANALYZE, touches a few
 * pages for a candidate however many offers other engineers hold open and however many finished
 * assignments of earlier days the candidate has.
 */
@EngineerServiceTest
class MatchingCostTest {

    private static final int ROWS = 2000;
    /** Pages the query may touch for one candidate: the engineer, their skill, the index probes. */
    private static final int PAGES = 40;

    @Test
    void aMatchReadsNeitherOtherEngineersOpenOffersNorTheCandidatesFinishedAssignments() throws Exception {
        String region = uniqueRegion("veteran");
        UUID veteran = UUID.fromString(register("Veteran", region, "WASHER"));
        try (Connection connection = Database.connect()) {
            insertAssignments(connection, veteran, region, "COMPLETED", ROWS);
            String elsewhere = uniqueRegion("busy");
            for (UUID busy : insertEngineers(connection, elsewhere, ROWS)) {
                insertAssignments(connection, busy, elsewhere, "OFFERED", 1);
            }
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("analyze engineer");
                analyze.execute("analyze assignment");
            }
            JsonNode plan = explain(connection, region);
            assertEquals(1, plan.path("Actual Rows").asInt(), "the veteran is still the match: " + plan);
            int pages = pages(plan);
            assertTrue(
                    pages <= PAGES,
                    "one match touched " + pages + " pages with " + ROWS + " open offers of other" + " engineers and "
                            + ROWS + " finished assignments of the candidate (at most " + PAGES + "): " + plan);
        }
    }

    /**
     * Pages the plan touched: its top node's (which include its children's) and each subplan's,
     * since the subplans the sort evaluates are not counted in the nodes above them.
     */
    private static int pages(JsonNode node) {
        int pages = node.path("Shared Hit Blocks").asInt()
                + node.path("Shared Read Blocks").asInt();
        return pages + subplanPages(node);
    }

    private static int subplanPages(JsonNode node) {
        int pages = 0;
        for (JsonNode child : node.path("Plans")) {
            String relationship = child.path("Parent Relationship").asText();
            if (relationship.equals("SubPlan") || relationship.equals("InitPlan")) {
                pages += child.path("Shared Hit Blocks").asInt()
                        + child.path("Shared Read Blocks").asInt();
            }
            pages += subplanPages(child);
        }
        return pages;
    }

    /** Active engineers of the region who repair washers, straight into the table (no account needed here). */
    private static List<UUID> insertEngineers(Connection connection, String region, int count) throws SQLException {
        List<UUID> engineers = new ArrayList<>();
        try (PreparedStatement row = connection.prepareStatement("""
                        insert into engineer (id, name, region, active, registered_at, account_id)
                        values (?, 'Busy', ?, true, now(), ?)""");
                PreparedStatement skill = connection.prepareStatement(
                        "insert into engineer_skill (engineer_id, skill) values (?, 'WASHER')")) {
            for (int i = 0; i < count; i++) {
                UUID engineer = UUID.randomUUID();
                engineers.add(engineer);
                row.setObject(1, engineer);
                row.setString(2, region);
                row.setString(3, "unlinked-" + engineer);
                row.addBatch();
                skill.setObject(1, engineer);
                skill.addBatch();
            }
            row.executeBatch();
            skill.executeBatch();
        }
        return engineers;
    }

    /**
     * Assignments of the engineer in the given status, offered two days ago, each of its own call;
     * due tomorrow, so that the expiry job leaves the open ones alone.
     */
    private static void insertAssignments(Connection connection, UUID engineer, String region, String status, int count)
            throws SQLException {
        Timestamp before = Timestamp.from(Instant.now().minus(Duration.ofDays(2)));
        Timestamp due = Timestamp.from(Instant.now().plus(Duration.ofDays(1)));
        try (PreparedStatement dispatch = connection.prepareStatement("""
                        insert into dispatch (call_id, customer_id, appliance_type, region, address, state,
                                              created_at, updated_at, state_changed_at)
                        values (?, 'history', 'WASHER', ?, '1 Old Road', ?, ?, ?, ?)""");
                PreparedStatement assignment = connection.prepareStatement("""
                        insert into assignment (id, call_id, engineer_id, engineer_name, status, appliance_type, region,
                                                address, offered_at, expires_at)
                        values (?, ?, ?, 'Veteran', ?, 'WASHER', ?, '1 Old Road', ?, ?)""")) {
            for (int i = 0; i < count; i++) {
                UUID call = UUID.randomUUID();
                dispatch.setObject(1, call);
                dispatch.setString(2, region);
                dispatch.setString(3, status.equals("OFFERED") ? "OFFERED" : "COMPLETED");
                for (int column = 4; column <= 6; column++) {
                    dispatch.setTimestamp(column, before);
                }
                dispatch.addBatch();
                assignment.setObject(1, UUID.randomUUID());
                assignment.setObject(2, call);
                assignment.setObject(3, engineer);
                assignment.setString(4, status);
                assignment.setString(5, region);
                assignment.setTimestamp(6, before);
                assignment.setTimestamp(7, due);
                assignment.addBatch();
            }
            dispatch.executeBatch();
            assignment.executeBatch();
        }
    }

    /** The top node of the plan PostgreSQL ran for the matcher's query (a call of the region nobody was offered). */
    private static JsonNode explain(Connection connection, String region) throws Exception {
        String query = EngineerMatcher.BEST_CANDIDATE.replaceAll("\\?[1-4]", "?");
        try (PreparedStatement explain =
                connection.prepareStatement("explain (analyze, buffers, format json) " + query)) {
            explain.setString(1, region);
            explain.setString(2, "WASHER");
            explain.setObject(3, UUID.randomUUID());
            explain.setTimestamp(4, Timestamp.from(Instant.now().minus(Duration.ofHours(12))));
            try (ResultSet result = explain.executeQuery()) {
                result.next();
                return new ObjectMapper().readTree(result.getString(1)).get(0).get("Plan");
            }
        }
    }
}
