package io.ascall.call;

import static io.ascall.call.support.Calls.api;
import static io.ascall.call.support.Calls.asCustomer;
import static io.ascall.call.support.Calls.callsOf;
import static io.ascall.call.support.Calls.newCall;
import static io.ascall.call.support.Calls.uniqueCustomer;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.ascall.call.support.CallServiceTest;
import io.ascall.call.support.PaymentServiceResource;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Bad input gets a clear 4xx problem, never a 5xx, and changes nothing: no call stored and no
 * request sent to payment-service.
 */
@CallServiceTest
class CallRequestValidationTest {

    private final String customer = uniqueCustomer("invalid-");
    private long chargesBefore;

    @BeforeEach
    void countCharges() {
        chargesBefore = PaymentServiceResource.proxy().count("POST /payments");
    }

    @AfterEach
    void nothingChanged() {
        assertEquals(0, callsOf(customer), "a call was stored");
        assertEquals(
                chargesBefore,
                PaymentServiceResource.proxy().count("POST /payments"),
                "payment-service was asked to charge");
    }

    private ValidatableResponse postRaw(String body) {
        return api().contentType(ContentType.JSON).body(body).post("/calls").then();
    }

    private ValidatableResponse post(Map<String, Object> body) {
        return api().contentType(ContentType.JSON).body(body).post("/calls").then();
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status, String slug) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:" + slug))
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("detail", notNullValue());
    }

    @Test
    void malformedJson() {
        problem(postRaw("{\"customerId\": \"" + customer + "\", "), 400, "malformed-request")
                .body("instance", equalTo("/calls"));
    }

    @Test
    void emptyBody() {
        problem(postRaw(""), 400, "validation");
    }

    @Test
    void missingFieldsAreAllNamed() {
        problem(post(Map.of("customerId", customer)), 400, "validation")
                .body("errors.field", hasItems("applianceType", "region", "address"));
    }

    @Test
    void blankFields() {
        Map<String, Object> body = new HashMap<>(newCall(customer));
        body.put("region", "  ");
        problem(post(body), 400, "validation").body("errors.field", hasItem("region"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "applianceType | 5",
                "applianceType | true",
                "region        | 12",
                "address       | [\"a\"]",
                "description   | {\"a\": 1}"
            })
    void wrongJsonTypesNameTheField(String field, String json) {
        String body = "{\"customerId\":\"" + customer + "\",\"applianceType\":\"WASHER\",\"region\":\"seoul\","
                + "\"address\":\"12 Teheran-ro\",\"description\":\"x\"}";
        body = body.replaceFirst("\"" + field + "\":(\"[^\"]*\")", "\"" + field + "\":" + json.replace("$", "\\$"));
        problem(postRaw(body), 400, "malformed-request").body("field", equalTo(field));
    }

    @Test
    void unknownApplianceTypeListsTheAllowedOnes() {
        Map<String, Object> body = new HashMap<>(newCall(customer));
        body.put("applianceType", "TIME_MACHINE");
        problem(post(body), 400, "malformed-request")
                .body("field", equalTo("applianceType"))
                .body("allowed", hasItems("WASHER", "REFRIGERATOR", "AIR_CONDITIONER"));
    }

    @Test
    void oversizedStrings() {
        Map<String, Object> body = new HashMap<>(newCall(customer));
        body.put("address", "x".repeat(201));
        body.put("description", "y".repeat(1001));
        problem(post(body), 400, "validation").body("errors.field", hasItems("address", "description"));
    }

    @Test
    void aSubjectNoCallCanHoldIsRefused() {
        for (String subject : new String[] {"c".repeat(65), "tab\there"}) {
            long before = callsOf(subject.length() > 64 ? subject.substring(0, 64) : subject);
            problem(
                    asCustomer(subject)
                            .contentType(ContentType.JSON)
                            .body(newCall(subject))
                            .post("/calls")
                            .then(),
                    401,
                    "unauthorized");
            assertEquals(before, callsOf(subject.length() > 64 ? subject.substring(0, 64) : subject));
        }
    }

    @Test
    void oversizedIdempotencyKey() {
        problem(
                        api().contentType(ContentType.JSON)
                                .header("Idempotency-Key", "k".repeat(256))
                                .body(newCall(customer))
                                .post("/calls")
                                .then(),
                        400,
                        "validation")
                .body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void anIdempotencyKeyIsVisibleAsciiOnly() {
        for (String key : new String[] {"", " ", "key with spaces", "key\ttab", "\u00e9t\u00e9"}) {
            problem(
                            api().contentType(ContentType.JSON)
                                    .header("Idempotency-Key", key)
                                    .body(newCall(customer))
                                    .post("/calls")
                                    .then(),
                            400,
                            "validation")
                    .body("errors[0].field", equalTo("Idempotency-Key"));
        }
        assertEquals(0, callsOf(customer), "no call was created");
    }

    @Test
    void wrongContentType() {
        problem(
                api().contentType(ContentType.TEXT)
                        .body("customerId=" + customer)
                        .post("/calls")
                        .then(),
                415,
                "unsupported-media-type");
    }

    @Test
    void unknownPathAndMethod() {
        problem(api().get("/no-such-thing").then(), 404, "not-found");
        problem(api().delete("/calls").then(), 405, "method-not-allowed");
    }

    @Test
    void unknownCall() {
        problem(api().get("/calls/" + java.util.UUID.randomUUID()).then(), 404, "not-found");
        problem(api().get("/calls/not-a-uuid").then(), 404, "not-found");
    }

    @Test
    void badListParameters() {
        problem(api().queryParam("size", 0).get("/calls").then(), 400, "validation")
                .body("errors[0].field", equalTo("size"));
        problem(api().queryParam("size", 101).get("/calls").then(), 400, "validation");
        problem(api().queryParam("page", -1).get("/calls").then(), 400, "validation");
        problem(api().queryParam("status", "LOST").get("/calls").then(), 400, "validation")
                .body("errors[0].field", equalTo("status"));
        problem(api().queryParam("page", "first").get("/calls").then(), 400, "validation")
                .body("errors[0].field", equalTo("page"));
    }
}
