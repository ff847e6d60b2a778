package io.ascall.payment.rest;

import static io.ascall.payment.PaymentsApi.asOperator;
import static io.ascall.payment.PaymentsApi.get;
import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.pay;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class QueryPaymentTest {

    @Test
    void anUnknownPaymentIs404Problem() {
        UUID unknown = UUID.randomUUID();
        get(unknown)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:not-found"))
                .body("title", equalTo("Not found"))
                .body("status", equalTo(404))
                .body("detail", equalTo("No payment " + unknown))
                .body("instance", equalTo("/payments/" + unknown));
    }

    @Test
    void aPaymentIdThatIsNoUuidIs404() {
        get("not-a-uuid")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:not-found"));
    }

    @Test
    void byCallIdTheAnswerIsAnArrayOfZeroOrOne() {
        UUID callId = newCallId();
        asOperator()
                .queryParam("callId", callId.toString())
                .when()
                .get("/payments")
                .then()
                .statusCode(200)
                .body("$", empty());

        String customer = newCustomer("c-");
        String id =
                pay(callId, customer, 30_000).then().statusCode(201).extract().path("id");
        asOperator()
                .queryParam("callId", callId.toString())
                .when()
                .get("/payments")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].id", equalTo(id));
        asOperator()
                .queryParam("callId", callId.toString())
                .queryParam("customerId", "someone-else")
                .when()
                .get("/payments")
                .then()
                .statusCode(200)
                .body("$", empty());
    }

    @Test
    void byCustomerTheAnswerIsPagedNewestFirst() {
        String customer = newCustomer("c-");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(
                    0,
                    pay(newCallId(), customer, 1_000 + i)
                            .then()
                            .statusCode(201)
                            .extract()
                            .path("id"));
        }

        asOperator()
                .queryParam("customerId", customer)
                .queryParam("page", 0)
                .queryParam("size", 2)
                .when()
                .get("/payments")
                .then()
                .statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(2))
                .body("total", equalTo(5))
                .body("items.id", contains(ids.get(0), ids.get(1)));
        asOperator()
                .queryParam("customerId", customer)
                .queryParam("page", 2)
                .queryParam("size", 2)
                .when()
                .get("/payments")
                .then()
                .statusCode(200)
                .body("items.id", contains(ids.get(4)));
        asOperator()
                .queryParam("customerId", customer)
                .queryParam("page", 3)
                .queryParam("size", 2)
                .when()
                .get("/payments")
                .then()
                .statusCode(200)
                .body("items", empty())
                .body("total", equalTo(5));
        asOperator()
                .queryParam("customerId", customer)
                .when()
                .get("/payments")
                .then()
                .statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("items", hasSize(5));
        asOperator()
                .queryParam("customerId", newCustomer("nobody-"))
                .when()
                .get("/payments")
                .then()
                .statusCode(200)
                .body("items", empty())
                .body("total", equalTo(0));
    }

    @Test
    void searchWithoutCallOrCustomerIs400() {
        asOperator()
                .when()
                .get("/payments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:validation"))
                .body("errors.field", contains("callId", "customerId"));
    }

    @Test
    void badSearchParametersAre400WithTheField() {
        asOperator()
                .queryParam("callId", "not-a-uuid")
                .when()
                .get("/payments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:validation"))
                .body("errors[0].field", equalTo("callId"))
                .body("errors[0].message", equalTo("must be a UUID"));
        asOperator()
                .queryParam("customerId", "c")
                .queryParam("size", 0)
                .when()
                .get("/payments")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("size"));
        asOperator()
                .queryParam("customerId", "c")
                .queryParam("size", 101)
                .when()
                .get("/payments")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("size"));
        asOperator()
                .queryParam("customerId", "c")
                .queryParam("page", -1)
                .when()
                .get("/payments")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("page"));
        asOperator()
                .queryParam("customerId", "x".repeat(65))
                .when()
                .get("/payments")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("customerId"));
        asOperator()
                .queryParam("customerId", "c")
                .queryParam("size", "ten")
                .when()
                .get("/payments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
