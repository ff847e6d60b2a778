package io.ascall.payment.rest;

import static io.ascall.payment.PaymentsApi.asCallService;
import static io.ascall.payment.PaymentsApi.asOperator;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.payment.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/** Every kind of bad request is a 4xx problem+json that names what is wrong, and stores nothing. */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class BadInputTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    TestDatabase database;

    private long paymentsBefore;

    @BeforeEach
    void countPayments() {
        paymentsBefore = database.paymentCount();
    }

    @AfterEach
    void nothingWasStored() {
        assertEquals(paymentsBefore, database.paymentCount(), "a rejected request stores nothing");
    }

    private static String callId() {
        return UUID.randomUUID().toString();
    }

    private static ValidatableResponse postJson(String path, String body) {
        return asCallService()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(path)
                .then();
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status, String slug) {
        return response.statusCode(status)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:ascall:problem:" + slug))
                .body("title", notNullValue())
                .body("status", equalTo(status))
                .body("detail", notNullValue())
                .body("instance", notNullValue());
    }

    @Test
    void malformedJsonIs400() {
        problem(postJson("/payments", "{\"callId\": \"" + callId() + "\", \"customerId\": "), 400, "malformed-request")
                .body("detail", equalTo("The body is not well-formed JSON"))
                .body("instance", equalTo("/payments"));
        problem(
                postJson("/payments", "{\"callId\":\"" + callId() + "\",\"customerId\":\"c\",\"amount\":1} trailing"),
                400,
                "malformed-request");
        problem(postJson("/payments/voids", "{callId: 1}"), 400, "malformed-request");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "amount     | \"12\"",
                "amount     | 1.5",
                "amount     | 1.0",
                "amount     | true",
                "amount     | 99999999999999999999999",
                "amount     | {}",
                "customerId | 12",
                "customerId | [\"c\"]",
                "callId     | \"not-a-uuid\"",
                "callId     | 12",
            })
    void aValueOfTheWrongTypeIs400NamingTheField(String field, String json) {
        String body = ("{\"callId\":\"" + callId() + "\",\"customerId\":\"c-1\",\"amount\":30000}")
                .replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9]+)", "\"" + field + "\":" + json.replace("$", "\\$"));
        problem(postJson("/payments", body), 400, "malformed-request")
                .body("field", equalTo(field))
                .body("detail", containsString("'" + field + "'"));
    }

    @Test
    void aBodyThatIsNoObjectIs400() {
        problem(postJson("/payments", "[1, 2]"), 400, "malformed-request");
        problem(postJson("/payments", "\"text\""), 400, "malformed-request");
    }

    @Test
    void missingFieldsAre400WithEveryField() {
        problem(postJson("/payments", "{}"), 400, "validation")
                .body("errors.field", hasItem("callId"))
                .body("errors.field", hasItem("customerId"))
                .body("errors.field", hasItem("amount"))
                .body("errors[0].message", notNullValue());
        problem(postJson("/payments/voids", "{\"reason\":\"r\"}"), 400, "validation")
                .body("errors.field", hasItem("callId"));
    }

    @Test
    void aMissingBodyIs400() {
        problem(
                        asCallService()
                                .contentType(ContentType.JSON)
                                .when()
                                .post("/payments")
                                .then(),
                        400,
                        "validation")
                .body("errors[0].field", equalTo("body"));
        problem(
                asCallService()
                        .contentType(ContentType.JSON)
                        .when()
                        .post("/payments/voids")
                        .then(),
                400,
                "validation");
    }

    @ParameterizedTest(name = "amount {0}")
    @CsvSource({"0", "-1", "10000001"})
    void anAmountOutOfRangeIs400(long amount) {
        problem(
                        postJson(
                                "/payments",
                                "{\"callId\":\"" + callId() + "\",\"customerId\":\"c-1\",\"amount\":" + amount + "}"),
                        400,
                        "validation")
                .body("errors[0].field", equalTo("amount"));
    }

    @Test
    void oversizedOrBlankStringsAre400() {
        problem(
                        postJson(
                                "/payments",
                                "{\"callId\":\"" + callId() + "\",\"customerId\":\"" + "c".repeat(65)
                                        + "\",\"amount\":1}"),
                        400,
                        "validation")
                .body("errors[0].field", equalTo("customerId"));
        problem(
                        postJson("/payments", "{\"callId\":\"" + callId() + "\",\"customerId\":\"  \",\"amount\":1}"),
                        400,
                        "validation")
                .body("errors[0].field", equalTo("customerId"));
        problem(
                        postJson(
                                "/payments/voids",
                                "{\"callId\":\"" + callId() + "\",\"reason\":\"" + "r".repeat(201) + "\"}"),
                        400,
                        "validation")
                .body("errors[0].field", equalTo("reason"));
        problem(
                        asCallService()
                                .contentType(ContentType.JSON)
                                .header("Idempotency-Key", "k".repeat(256))
                                .body("{\"callId\":\"" + callId() + "\",\"customerId\":\"c-1\",\"amount\":1}")
                                .when()
                                .post("/payments")
                                .then(),
                        400,
                        "validation")
                .body("errors[0].field", equalTo("idempotencyKey"));
    }

    @Test
    void aWrongContentTypeIs415() {
        problem(
                asCallService()
                        .contentType(ContentType.TEXT)
                        .body("callId=1")
                        .when()
                        .post("/payments")
                        .then(),
                415,
                "unsupported-media-type");
        problem(
                asCallService()
                        .contentType(ContentType.XML)
                        .body("<void/>")
                        .when()
                        .post("/payments/voids")
                        .then(),
                415,
                "unsupported-media-type");
    }

    @Test
    void anUnknownPathIs404() {
        problem(asOperator().when().get("/nowhere").then(), 404, "not-found").body("instance", equalTo("/nowhere"));
        problem(asOperator().when().get("/payments/" + callId() + "/items").then(), 404, "not-found");
    }

    @Test
    void aWrongMethodIs405() {
        problem(asOperator().when().delete("/payments/" + callId()).then(), 405, "method-not-allowed");
        problem(asOperator().when().get("/payments/voids").then(), 404, "not-found");
        problem(
                asCallService()
                        .contentType(ContentType.JSON)
                        .body("{}")
                        .when()
                        .put("/payments")
                        .then(),
                405,
                "method-not-allowed");
    }

    @Test
    void anUnacceptableMediaTypeIs406() {
        problem(
                asOperator()
                        .accept(ContentType.XML)
                        .when()
                        .get("/payments/" + callId())
                        .then(),
                406,
                "not-acceptable");
    }

    @Test
    void unknownPropertiesAreIgnored() {
        String customer = "c-" + UUID.randomUUID();
        asCallService()
                .contentType(ContentType.JSON)
                .body("{\"callId\":\"" + callId() + "\",\"customerId\":\"" + customer + "\",\"amount\":1,\"tip\":5}")
                .when()
                .post("/payments")
                .then()
                .statusCode(201);
        paymentsBefore++;
    }
}
