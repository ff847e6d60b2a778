package io.ascall.call;

import static io.ascall.call.support.Calls.api;
import static io.ascall.call.support.Calls.paymentsOf;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ascall.call.support.CallServiceTest;
import io.ascall.local.LocalEnvironment;
import io.ascall.local.LocalPostgres;

/**
 * A process that died between storing a call and recording its payment leaves the call
 * REQUESTED; the reconciler closes it and makes sure payment-service keeps nothing for it.
 */
@CallServiceTest
class PaymentReconcilerTest {

    @Test
    void anAbandonedCallIsClosedAndItsPaymentBarred() throws Exception {
        UUID callId = UUID.randomUUID();
        storeRequestedCallAsADeadProcessLeftIt(callId, Instant.now().minus(Duration.ofHours(1)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            api().get("/calls/" + callId)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("PAYMENT_FAILED"))
                    .body("failureReason", equalTo("PAYMENT_UNAVAILABLE"));
            List<Map<String, Object>> payments = paymentsOf(callId.toString());
            assertEquals(1, payments.size());
            assertEquals("VOIDED", payments.get(0).get("status"));
        });
    }

    private static void storeRequestedCallAsADeadProcessLeftIt(UUID callId, Instant at) throws Exception {
        LocalPostgres postgres = LocalEnvironment.shared().postgres();
        try (Connection db = DriverManager.getConnection(
                        postgres.jdbcUrl("call"), postgres.username(), postgres.password());
                PreparedStatement insert = db.prepareStatement("""
                        insert into repair_call (id, customer_id, appliance_type, region, address, status, fee,
                          currency, created_at, updated_at, status_changed_at)
                        values (?, ?, 'DRYER', 'incheon', '3 Songdo-dong', 'REQUESTED', 30000, 'KRW', ?, ?, ?)""")) {
            Timestamp time = Timestamp.from(at);
            insert.setObject(1, callId);
            insert.setString(2, "abandoned-" + callId);
            insert.setTimestamp(3, time);
            insert.setTimestamp(4, time);
            insert.setTimestamp(5, time);
            insert.executeUpdate();
        }
    }
}
