package io.ascall.call;

import static io.ascall.apitesting.Problems.problem;
import static io.ascall.apitesting.Problems.unauthorized;
import static io.ascall.call.support.Calls.asCustomer;
import static io.ascall.call.support.Calls.asOperator;
import static io.ascall.call.support.Calls.newCall;
import static io.ascall.call.support.Calls.uniqueCustomer;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.Tokens;
import io.ascall.call.support.CallServiceTest;
import io.restassured.http.ContentType;

/**
 * call-service's rows of the README's access table: a customer requests, reads and cancels only
 * their own calls (another customer's is answered as no call: 404), operators read every call and
 * the stuck ones, nobody else gets in, and no refusal changes a call.
 */
@CallServiceTest
class AccessTest {

    private final String alice = uniqueCustomer("access-alice-");
    private final String bob = uniqueCustomer("access-bob-");

    /**
     * A paid call of the customer, asked for as the mobile app does: the first charge of a cold
     * payment-service can outlast the charge timeout on a loaded machine (503), and a retry with the
     * same Idempotency-Key carries on with the same call, so the customer still has exactly one.
     */
    private String callOf(String customer) {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = withoutCustomer(newCall(customer));
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .until(
                        () -> asCustomer(customer)
                                .contentType(ContentType.JSON)
                                .header("Idempotency-Key", key)
                                .body(body)
                                .post("/calls"),
                        answer -> answer.statusCode() == 201)
                .then()
                .body("customerId", equalTo(customer))
                .extract()
                .path("id");
    }

    @Test
    void aCustomerSeesTheirOwnCallsOnly() {
        String alices = callOf(alice);
        callOf(bob);
        asCustomer(alice).get("/calls/" + alices).then().statusCode(200);
        problem(asCustomer(bob).get("/calls/" + alices).then(), 404, "not-found");
        // their list is their own, whether or not they name themselves
        asCustomer(alice)
                .get("/calls")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items.customerId", everyItem(equalTo(alice)));
        asCustomer(alice).queryParam("customerId", alice).get("/calls").then().body("total", equalTo(1));
        problem(asCustomer(bob).queryParam("customerId", alice).get("/calls").then(), 403, "forbidden");
        problem(asCustomer(alice).queryParam("stuckFor", "PT0S").get("/calls").then(), 403, "forbidden");
    }

    @Test
    void theCustomerIsTheTokensNotTheBodys() {
        Map<String, Object> body = new HashMap<>(newCall(alice));
        body.put("customerId", "mallory");
        asCustomer(alice)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/calls")
                .then()
                .statusCode(201)
                .body("customerId", equalTo(alice));
    }

    @Test
    void aCustomerCancelsTheirOwnCallOnly() {
        String alices = callOf(alice);
        problem(asCustomer(bob).post("/calls/" + alices + "/cancel").then(), 404, "not-found");
        problem(asOperator().post("/calls/" + alices + "/cancel").then(), 403, "forbidden");
        asOperator().get("/calls/" + alices).then().body("status", not(equalTo("CANCELLED")));
        asCustomer(alice).post("/calls/" + alices + "/cancel").then().statusCode(200);
    }

    @Test
    void operatorsReadEveryCallAndRequestNone() {
        String alices = callOf(alice);
        asOperator().get("/calls/" + alices).then().statusCode(200).body("customerId", equalTo(alice));
        asOperator().queryParam("customerId", alice).get("/calls").then().body("total", equalTo(1));
        asOperator().queryParam("stuckFor", "PT0S").get("/calls").then().statusCode(200);
        problem(
                asOperator()
                        .contentType(ContentType.JSON)
                        .body(newCall(alice))
                        .post("/calls")
                        .then(),
                403,
                "forbidden");
    }

    @Test
    void engineersAndServicesHaveNoCallsHere() {
        String alices = callOf(alice);
        for (String token : new String[] {
            Tokens.engineer("access-engineer"),
            Tokens.user("access-nobody"),
            Tokens.service("call-service", "call-service")
        }) {
            problem(given().auth().oauth2(token).get("/calls/" + alices).then(), 403, "forbidden");
            problem(given().auth().oauth2(token).get("/calls").then(), 403, "forbidden");
            problem(
                    given().auth()
                            .oauth2(token)
                            .contentType(ContentType.JSON)
                            .body(withoutCustomer(newCall(alice)))
                            .post("/calls")
                            .then(),
                    403,
                    "forbidden");
        }
        asOperator().queryParam("customerId", alice).get("/calls").then().body("total", equalTo(1));
    }

    @Test
    void withoutAValidTokenOnlyHealthAnswers() {
        String alices = callOf(alice);
        String[] bad = {
            null,
            Tokens.expiredCustomer(alice),
            Tokens.forgedCustomer(alice),
            Tokens.customerFor(alice, "payment-service"),
            "not-a-jwt"
        };
        for (String token : bad) {
            var request = token == null ? given() : given().auth().oauth2(token);
            unauthorized(request.get("/calls/" + alices).then(), token != null);
            unauthorized(
                    (token == null ? given() : given().auth().oauth2(token))
                            .post("/calls/" + alices + "/cancel")
                            .then(),
                    token != null);
            unauthorized(
                    (token == null ? given() : given().auth().oauth2(token))
                            .contentType(ContentType.JSON)
                            .body(withoutCustomer(newCall(alice)))
                            .post("/calls")
                            .then(),
                    token != null);
        }
        asOperator().get("/calls/" + alices).then().body("status", not(equalTo("CANCELLED")));
        asOperator().queryParam("customerId", alice).get("/calls").then().body("total", equalTo(1));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
        asOperator().queryParam("customerId", bob).get("/calls").then().body("items", empty());
    }

    private static Map<String, Object> withoutCustomer(Map<String, Object> call) {
        Map<String, Object> body = new HashMap<>(call);
        body.remove("customerId");
        return body;
    }
}
