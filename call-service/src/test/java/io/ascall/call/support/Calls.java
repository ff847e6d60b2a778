package io.ascall.call.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Small helpers for talking to call-service and payment-service in tests. */
public final class Calls {

    private Calls() {}

    /** A valid request body for a customer no other test uses. */
    public static Map<String, Object> newCall(String customerId) {
        return Map.of(
                "customerId",
                customerId,
                "applianceType",
                "WASHER",
                "region",
                "seoul-gangnam",
                "address",
                "12 Teheran-ro, Gangnam-gu",
                "description",
                "drum does not spin");
    }

    public static String uniqueCustomer(String prefix) {
        return prefix + UUID.randomUUID();
    }

    public static Response post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/calls");
    }

    public static Response post(Map<String, Object> body, String idempotencyKey) {
        return given().contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(body)
                .post("/calls");
    }

    public static long callsOf(String customerId) {
        return given().queryParam("customerId", customerId)
                .get("/calls")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("total");
    }

    /** payment-service's own record of the payments for a call (0 or 1), asked directly. */
    public static List<Map<String, Object>> paymentsOf(String callId) {
        return given().baseUri("http://127.0.0.1")
                .port(PaymentServiceResource.paymentService().port())
                .queryParam("callId", callId)
                .get("/payments")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }
}
