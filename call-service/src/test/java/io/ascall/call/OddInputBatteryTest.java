package io.ascall.call;

import static io.ascall.call.support.Calls.api;
import static io.ascall.call.support.Calls.newCall;
import static io.ascall.call.support.Calls.uniqueCustomer;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.ApiContract;
import io.ascall.apitesting.DatabaseSnapshot;
import io.ascall.apitesting.OddInputBattery;
import io.ascall.apitesting.Tokens;
import io.ascall.call.support.CallServiceTest;
import io.ascall.call.support.Calls;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/**
 * The odd-input battery over call-service's whole OpenAPI document (every operation, parameter and
 * body field): no 5xx, every 4xx a problem, every refusal the document's constraints call for, and
 * no refused request changes a row (the database before and after, table by table).
 */
@CallServiceTest
class OddInputBatteryTest {

    @Inject
    Pool database;

    private static Map<String, Object> withoutCustomer(Map<String, Object> call) {
        Map<String, Object> body = new HashMap<>(call);
        body.remove("customerId");
        return body;
    }

    @Test
    void everyOddInputIsAProblemAndNoRefusalChangesARow() {
        ApiContract contract = ApiContract.ofRunningService();
        String customer = uniqueCustomer("battery-");
        // the first charge of a cold payment-service can outlast the charge timeout on a loaded
        // machine (503 payment-unavailable): the battery needs one paid call, so it asks again
        String callId = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .until(
                        () -> api().contentType(ContentType.JSON)
                                .body(newCall(customer))
                                .post("/calls"),
                        answer -> answer.statusCode() == 201)
                .path("id");
        OddInputBattery battery = OddInputBattery.of(contract)
                .pathValue("id", callId)
                .body("requestCall", withoutCustomer(newCall(customer)))
                // each operation as the one allowed to call it: reads as an operator, the
                // call and its cancellation as its customer
                .token(Calls.OPERATOR_TOKEN)
                .token("POST /calls", Tokens.customer(customer))
                .token("POST /calls/{id}/cancel", Tokens.customer(customer));
        battery.check(DatabaseSnapshot.of(database), 99);
    }
}
