package io.ascall.call;

import static io.ascall.call.support.Calls.api;
import static io.ascall.call.support.Calls.newCall;
import static io.ascall.call.support.Calls.uniqueCustomer;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.ascall.apitesting.ApiContract;
import io.ascall.apitesting.Tokens;
import io.ascall.call.support.CallServiceTest;
import io.ascall.call.support.Calls;
import io.ascall.call.support.PaymentServiceResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;

/**
 * Every operation of call-service's OpenAPI document, exercised on the running service through its
 * answers (success, the domain's refusals, the shared errors), each answer validated against the
 * document the service serves. Fails on any undocumented status, member, type or null.
 */
@CallServiceTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractTest {

    private static ApiContract contract;

    @Inject
    CircuitBreakerMaintenance breakers;

    @AfterAll
    static void everyOperationConformed() {
        contract.assertConforms();
        contract.assertEveryOperationExercised();
    }

    /** Read once the service runs (RestAssured knows its port only then). */
    private static RequestSpecification client() {
        if (contract == null) {
            contract = ApiContract.ofRunningService();
        }
        return api().filter(contract);
    }

    private static String created(String customer) {
        return client().contentType(ContentType.JSON)
                .body(newCall(customer))
                .post("/calls")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void requestingACall() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = newCall(uniqueCustomer("contract-"));
        client().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(body)
                .post("/calls");
        client().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(body)
                .post("/calls");
        client().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(newCall(uniqueCustomer("other-")))
                .post("/calls");
        client().contentType(ContentType.JSON)
                .body(newCall(uniqueCustomer("declined-")))
                .post("/calls");
        client().contentType(ContentType.JSON).body("{\"customerId\":\"\"}").post("/calls");
        client().contentType(ContentType.TEXT).body("{}").post("/calls");
        client().contentType(ContentType.JSON)
                .header("Idempotency-Key", "")
                .body(body)
                .post("/calls");
    }

    /** Last: the circuit breaker it opens is reset, but nothing else should run while it is open. */
    @Test
    @Order(Integer.MAX_VALUE)
    void requestingACallWhilePaymentServiceIsDown() {
        PaymentServiceResource.proxy().dead();
        try {
            client().contentType(ContentType.JSON)
                    .body(newCall(uniqueCustomer("contract-down-")))
                    .post("/calls")
                    .then()
                    .statusCode(503);
        } finally {
            PaymentServiceResource.proxy().pass();
            breakers.resetAll(); // the next test class finds payment-service as it was
        }
    }

    @Test
    void readingCalls() {
        String customer = uniqueCustomer("contract-read-");
        String id = created(customer);
        client().get("/calls/" + id).then().statusCode(200);
        client().get("/calls/" + UUID.randomUUID()).then().statusCode(404);
        client().get("/calls/not-a-uuid").then().statusCode(404);
        client().queryParam("customerId", customer).get("/calls").then().statusCode(200);
        client().queryParam("status", "PAID")
                .queryParam("size", 1)
                .get("/calls")
                .then()
                .statusCode(200);
        client().queryParam("stuckFor", "PT0S").get("/calls").then().statusCode(200);
        client().queryParam("page", -1).get("/calls").then().statusCode(400);
        client().queryParam("status", "LOST").get("/calls").then().statusCode(400);
    }

    @Test
    void cancellingACall() {
        String id = created(uniqueCustomer("contract-cancel-"));
        client().post("/calls/" + id + "/cancel").then().statusCode(200);
        client().post("/calls/" + id + "/cancel").then().statusCode(200);
        client().post("/calls/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
        String declined = client().contentType(ContentType.JSON)
                .body(newCall(uniqueCustomer("declined-")))
                .post("/calls")
                .then()
                .statusCode(422)
                .extract()
                .path("callId");
        client().post("/calls/" + declined + "/cancel").then().statusCode(409);
    }

    @Test
    void refusingCallersWithoutTheRightToken() {
        String id = created(uniqueCustomer("contract-refused-"));
        String stranger = Tokens.customer(uniqueCustomer("contract-stranger-"));
        client().header("Authorization", "")
                .contentType(ContentType.JSON)
                .body(newCall("x"))
                .post("/calls")
                .then()
                .statusCode(401);
        client().header("Authorization", "").get("/calls/" + id).then().statusCode(401);
        client().header("Authorization", "").get("/calls").then().statusCode(401);
        client().header("Authorization", "")
                .post("/calls/" + id + "/cancel")
                .then()
                .statusCode(401);
        client().auth()
                .oauth2(Calls.OPERATOR_TOKEN)
                .contentType(ContentType.JSON)
                .body(newCall("x"))
                .post("/calls")
                .then()
                .statusCode(403);
        client().auth()
                .oauth2(Tokens.engineer("contract-engineer"))
                .get("/calls/" + id)
                .then()
                .statusCode(403);
        client().auth()
                .oauth2(stranger)
                .queryParam("stuckFor", "PT0S")
                .get("/calls")
                .then()
                .statusCode(403);
        client().auth()
                .oauth2(Calls.OPERATOR_TOKEN)
                .post("/calls/" + id + "/cancel")
                .then()
                .statusCode(403);
    }
}
