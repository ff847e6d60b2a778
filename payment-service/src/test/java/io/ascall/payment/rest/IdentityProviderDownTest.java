package io.ascall.payment.rest;

import static io.ascall.apitesting.Problems.problem;
import static io.ascall.apitesting.Problems.unauthorized;
import static io.ascall.payment.PaymentsApi.CALL_SERVICE_TOKEN;
import static io.ascall.payment.PaymentsApi.OPERATOR_TOKEN;
import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.order;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.ascall.payment.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * While the identity provider has not been reached, a request with a token cannot be checked: the
 * failure is the service's, not the caller's. It gets a 503 problem with Retry-After (not a 500,
 * nor a 401 that would send a user to sign in again) and changes nothing; health stays open.
 */
@QuarkusTest
@TestProfile(IdentityProviderDownProfile.class)
class IdentityProviderDownTest {

    @Inject
    TestDatabase database;

    @Test
    void aTokenThatCannotBeCheckedGets503AndChangesNothing() {
        long before = database.paymentCount();

        problem(
                        given().auth()
                                .oauth2(CALL_SERVICE_TOKEN)
                                .contentType(ContentType.JSON)
                                .body(order(newCallId(), newCustomer("idp-down-"), 30_000))
                                .post("/payments")
                                .then(),
                        503,
                        "identity-provider-unavailable")
                .header("Retry-After", equalTo("5"));
        problem(
                given().auth()
                        .oauth2(OPERATOR_TOKEN)
                        .get("/payments/" + newCallId())
                        .then(),
                503,
                "identity-provider-unavailable");

        assertEquals(before, database.paymentCount(), "a request that could not be authenticated charged nothing");
    }

    @Test
    void noTokenIsStillUnauthorizedAndHealthStaysOpen() {
        unauthorized(given().get("/payments?callId=" + newCallId()).then(), false);
        given().get("/q/health/live").then().statusCode(200);
    }
}
