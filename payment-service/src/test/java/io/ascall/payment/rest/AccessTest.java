package io.ascall.payment.rest;

import static io.ascall.apitesting.Problems.forbidden;
import static io.ascall.apitesting.Problems.unauthorized;
import static io.ascall.payment.PaymentsApi.CALL_SERVICE_TOKEN;
import static io.ascall.payment.PaymentsApi.OPERATOR_TOKEN;
import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.order;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.ascall.apitesting.TestIssuer;
import io.ascall.apitesting.Tokens;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.security.Roles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * payment-service's rows of the README's access table: call-service's own identity alone charges
 * and voids, operators alone look payments up, and no bad token gets in. Each refusal is a problem
 * and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class AccessTest {

    private static final String CUSTOMER = Tokens.customer("access-customer");
    private static final String ENGINEER = Tokens.engineer("access-engineer");

    @Test
    void callServiceChargesAndVoids() {
        var callId = newCallId();
        charge(CALL_SERVICE_TOKEN, callId).statusCode(201);
        voidCall(CALL_SERVICE_TOKEN, newCallId()).statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"customer", "engineer", "operator"})
    void noPersonChargesOrVoids(String role) {
        String token = Tokens.user("access-" + role, role);
        var callId = newCallId();
        forbidden(charge(token, callId));
        forbidden(voidCall(token, callId));
        // nothing was charged or voided: the call has no payment
        given().auth()
                .oauth2(OPERATOR_TOKEN)
                .queryParam("callId", callId.toString())
                .get("/payments")
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void operatorsAloneLookPaymentsUp() {
        var callId = newCallId();
        String id = charge(CALL_SERVICE_TOKEN, callId).extract().path("id");
        given().auth().oauth2(OPERATOR_TOKEN).get("/payments/" + id).then().statusCode(200);
        given().auth()
                .oauth2(OPERATOR_TOKEN)
                .queryParam("callId", callId.toString())
                .get("/payments")
                .then()
                .statusCode(200)
                .body("[0].id", equalTo(id));
        for (String token : new String[] {CUSTOMER, ENGINEER, CALL_SERVICE_TOKEN}) {
            forbidden(given().auth().oauth2(token).get("/payments/" + id).then());
            forbidden(given().auth()
                    .oauth2(token)
                    .queryParam("callId", callId.toString())
                    .get("/payments")
                    .then());
        }
    }

    @Test
    void withoutATokenOnlyHealthAnswers() {
        var callId = newCallId();
        unauthorized(
                given().contentType(ContentType.JSON)
                        .body(order(callId, newCustomer("access-"), 30_000))
                        .post("/payments")
                        .then(),
                false);
        unauthorized(given().get("/payments?callId=" + callId).then(), false);
        unauthorized(given().get("/payments/" + callId).then(), false);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aTokenThatIsNotValidIsRefused() {
        String wrongAudience = Tokens.service(TestIssuer.CALLER, "call-service", Roles.PAYMENT_WRITER);
        String[] bad = {
            Tokens.expiredCustomer("access-customer"),
            Tokens.forgedCustomer("access-customer"),
            wrongAudience,
            "not-a-jwt",
            CALL_SERVICE_TOKEN.substring(0, CALL_SERVICE_TOKEN.lastIndexOf('.')) + ".c2lnbmF0dXJl"
        };
        for (String token : bad) {
            unauthorized(
                    given().auth()
                            .oauth2(token)
                            .contentType(ContentType.JSON)
                            .body(order(newCallId(), newCustomer("access-"), 30_000))
                            .post("/payments")
                            .then(),
                    true);
        }
    }

    private static ValidatableResponse charge(String token, java.util.UUID callId) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(order(callId, newCustomer("access-"), 30_000))
                .post("/payments")
                .then();
    }

    private static ValidatableResponse voidCall(String token, java.util.UUID callId) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("callId", callId.toString()))
                .post("/payments/voids")
                .then();
    }
}
