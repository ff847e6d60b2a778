package io.ascall.payment;

import static io.ascall.payment.PaymentsApi.asCallService;
import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.order;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.ApiContract;
import io.ascall.apitesting.DatabaseSnapshot;
import io.ascall.apitesting.OddInputBattery;
import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/**
 * The odd-input battery over payment-service's whole OpenAPI document (every operation, parameter
 * and body field): no 5xx, every 4xx a problem, every refusal the document's constraints call for,
 * and no refused request changes a row (the database before and after, table by table).
 */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class OddInputBatteryTest {

    @Inject
    Pool database;

    @Test
    void everyOddInputIsAProblemAndNoRefusalChangesARow() {
        ApiContract contract = ApiContract.ofRunningService();
        UUID callId = newCallId();
        Map<String, Object> paid = order(callId, newCustomer("battery-"), 30_000);
        // the first charge of a cold service can outlast the gateway's timeout on a loaded machine
        // (503 payment-unavailable): the battery needs one approved payment, so it asks again (the
        // payment is resumed: 409 request-in-progress until its attempt is stale, then 200)
        String paymentId = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .until(
                        () -> asCallService()
                                .contentType(ContentType.JSON)
                                .body(paid)
                                .post("/payments"),
                        answer -> answer.statusCode() == 201 || answer.statusCode() == 200)
                .path("id");
        OddInputBattery battery = OddInputBattery.of(contract)
                .token(PaymentsApi.OPERATOR_TOKEN)
                .token("POST /payments", PaymentsApi.CALL_SERVICE_TOKEN)
                .token("POST /payments/voids", PaymentsApi.CALL_SERVICE_TOKEN)
                .pathValue("id", paymentId)
                // the approved payment's own order: accepted, it is a repeat (200), nothing charged
                .body("chargeVisitFee", paid)
                // a call without payment: accepted, it leaves a tombstone (only once refusals are done)
                .body("voidCallPayment", Map.of("callId", newCallId().toString(), "reason", "battery"));
        battery.check(DatabaseSnapshot.of(database), 97);
    }
}
