package io.ascall.payment.rest;

import static io.ascall.payment.PaymentsApi.asCallService;
import static io.ascall.payment.PaymentsApi.asOperator;
import static io.ascall.payment.PaymentsApi.get;
import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.order;
import static io.ascall.payment.PaymentsApi.pay;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.payment.Payment;
import io.ascall.payment.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;

@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class CreatePaymentTest {

    @Inject
    TestDatabase database;

    @Test
    void anApprovedPaymentIsCreatedWithLocationAndBody() {
        UUID callId = newCallId();
        String customer = newCustomer("c-");
        Response created = asCallService()
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "key-" + callId)
                .body(order(callId, customer, 30_000))
                .when()
                .post("/payments");

        created.then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", endsWith("/payments/" + created.path("id")))
                .body("id", notNullValue())
                .body("callId", equalTo(callId.toString()))
                .body("customerId", equalTo(customer))
                .body("amount", equalTo(30_000))
                .body("currency", equalTo("KRW"))
                .body("status", equalTo("APPROVED"))
                .body("declineReason", nullValue())
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue());
        Instant createdAt = Instant.parse(created.path("createdAt"));
        assertEquals(createdAt, createdAt.truncatedTo(ChronoUnit.MICROS));

        String id = created.path("id");
        Map<String, Object> fetched = asOperator()
                .when()
                .get(created.header("Location"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
        assertEquals(created.jsonPath().getMap(""), fetched, "a reload shows the payment as it was answered");

        Payment stored = database.find(UUID.fromString(id));
        assertEquals("key-" + callId, stored.idempotencyKey());
        assertNotNull(stored.chargedAt());
        assertNull(stored.chargeAttemptStartedAt());
        assertEquals(1, database.gatewayCharges(customer));
        assertEquals("APPROVED", database.gatewayCharge(UUID.fromString(id)).getString("outcome"));
    }

    @Test
    void aCustomerWithTheDeclinePrefixIsDeclinedWith201() {
        String customer = newCustomer("declined-");
        pay(newCallId(), customer, 30_000)
                .then()
                .statusCode(201)
                .body("status", equalTo("DECLINED"))
                .body("declineReason", equalTo("card declined (simulated)"));
        assertEquals(1, database.gatewayCharges(customer));
    }

    @Test
    void aRetryReturnsTheSamePaymentWith200AndChargesOnce() {
        UUID callId = newCallId();
        String customer = newCustomer("c-");
        JsonPath first =
                pay(callId, customer, 45_000).then().statusCode(201).extract().jsonPath();

        JsonPath retry = asCallService()
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "another-key")
                .body(order(callId, customer, 45_000))
                .when()
                .post("/payments")
                .then()
                .statusCode(200)
                .header("Location", nullValue())
                .extract()
                .jsonPath();

        assertEquals(first.getMap(""), retry.getMap(""));
        assertEquals(1, database.gatewayCharges(customer));
        Row charge = database.gatewayCharge(UUID.fromString(first.getString("id")));
        assertEquals(1, charge.getInteger("requests"), "a settled payment is answered without asking the gateway");
    }

    @Test
    void aRetryOfADeclinedPaymentReturnsIt() {
        UUID callId = newCallId();
        String customer = newCustomer("declined-");
        String id =
                pay(callId, customer, 30_000).then().statusCode(201).extract().path("id");
        pay(callId, customer, 30_000)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("DECLINED"));
        assertEquals(1, database.gatewayCharges(customer));
    }

    @Test
    void anotherCustomerOrAmountForTheSameCallIs422() {
        UUID callId = newCallId();
        String customer = newCustomer("c-");
        String id =
                pay(callId, customer, 30_000).then().statusCode(201).extract().path("id");
        long payments = database.paymentCount();

        pay(callId, customer, 30_001)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:payment-mismatch"))
                .body("title", equalTo("Payment does not match the call's existing payment"))
                .body("status", equalTo(422))
                .body("instance", equalTo("/payments"))
                .body("paymentId", equalTo(id));
        String stranger = newCustomer("c-");
        pay(callId, stranger, 30_000)
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:ascall:problem:payment-mismatch"));

        assertEquals(payments, database.paymentCount());
        assertEquals(1, database.gatewayCharges(customer));
        assertEquals(0, database.gatewayCharges(stranger));
        get(id).then().statusCode(200).body("amount", equalTo(30_000)).body("customerId", equalTo(customer));
    }

    @Test
    void aFreshPendingPaymentIsInProgress() {
        String customer = newCustomer("c-");
        Payment charging = Payment.pending(newCallId(), customer, 30_000, "KRW", null, Instant.now());
        database.insert(charging);

        pay(charging.callId(), customer, 30_000)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("type", equalTo("urn:ascall:problem:request-in-progress"))
                .body("status", equalTo(409));
        assertEquals(0, database.gatewayCharges(customer), "the running attempt is left alone");
        get(charging.id()).then().body("status", equalTo("PENDING"));
    }

    @Test
    void aStalePendingPaymentIsTakenOverAndFinishedWithOneCharge() {
        String customer = newCustomer("c-");
        Payment abandoned = Payment.pending(
                newCallId(), customer, 30_000, "KRW", "key-x", Instant.now().minus(5, ChronoUnit.MINUTES));
        database.insert(abandoned);

        pay(abandoned.callId(), customer, 30_000)
                .then()
                .statusCode(200)
                .body("id", equalTo(abandoned.id().toString()))
                .body("status", equalTo("APPROVED"));

        assertEquals(1, database.gatewayCharges(customer));
        assertEquals(1, database.gatewayCharge(abandoned.id()).getInteger("requests"));
        pay(abandoned.callId(), customer, 30_000).then().statusCode(200).body("status", equalTo("APPROVED"));
        assertEquals(1, database.gatewayCharges(customer));
    }

    @Test
    void aTakeoverAfterTheGatewayChargedReusesTheReferenceAndIsNotChargedAgain() {
        String customer = newCustomer("c-");
        Payment abandoned = Payment.pending(
                newCallId(), customer, 30_000, "KRW", null, Instant.now().minus(5, ChronoUnit.MINUTES));
        database.insert(abandoned);
        database.chargeAtGateway(abandoned);

        pay(abandoned.callId(), customer, 30_000)
                .then()
                .statusCode(200)
                .body("id", equalTo(abandoned.id().toString()))
                .body("status", equalTo("APPROVED"));

        assertEquals(1, database.gatewayCharges(customer));
        assertEquals(
                2,
                database.gatewayCharge(abandoned.id()).getInteger("requests"),
                "the resumed charge carried the first attempt's reference");
    }
}
