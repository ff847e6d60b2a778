package io.ascall.payment.rest;

import static io.ascall.payment.PaymentsApi.asOperator;
import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.pay;
import static io.ascall.payment.PaymentsApi.voidCall;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.payment.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;

/**
 * The money case of a slow gateway: payment-service gives up on a charge (503), the call's payment
 * is voided, and the void's refund hears "no charge" because the gateway has not taken the money
 * yet; then the gateway takes it. The refund stays due until the gateway's charge deadline, so the
 * money taken late is given back.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@TestProfile(LateChargeProfile.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class LateChargeTest {

    @Inject
    TestDatabase database;

    @Test
    void aChargeTheGatewayTakesAfterTheVoidIsGivenBack() {
        UUID callId = newCallId();
        String customer = newCustomer("late-");
        pay(callId, customer, 30_000).then().statusCode(503);
        String paymentId = asOperator()
                .queryParam("callId", callId.toString())
                .get("/payments")
                .then()
                .statusCode(200)
                .extract()
                .path("[0].id");

        // the gateway holds nothing yet: the void's refund is told "no charge"
        voidCall(callId, "call-service gave up").then().statusCode(200).body("status", equalTo("VOIDED"));

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Row charge = database.gatewayCharge(UUID.fromString(paymentId));
                    assertNotNull(charge, "the gateway took the money late");
                    assertNotNull(charge.getValue("refunded_at"), "and gave it back");
                });
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> asOperator()
                        .get("/payments/" + paymentId)
                        .then()
                        .body("status", equalTo("VOIDED"))
                        .body("refundedAt", org.hamcrest.Matchers.notNullValue()));
        assertEquals(1, database.gatewayCharges(customer), "charged once, and refunded");
    }
}
