package io.ascall.payment;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The API calls the tests make, and fresh ids so that tests never see each other's data. */
public final class PaymentsApi {

    private PaymentsApi() {}

    public static UUID newCallId() {
        return UUID.randomUUID();
    }

    /** A customer no other test uses; {@code prefix} "declined-" makes the simulated gateway decline. */
    public static String newCustomer(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 13);
    }

    public static Map<String, Object> order(UUID callId, String customerId, long amount) {
        return Map.of("callId", callId.toString(), "customerId", customerId, "amount", amount);
    }

    public static Response pay(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/payments");
    }

    public static Response pay(UUID callId, String customerId, long amount) {
        return pay(order(callId, customerId, amount));
    }

    public static Response voidCall(UUID callId, String reason) {
        return given().contentType(ContentType.JSON)
                .body(
                        reason == null
                                ? Map.of("callId", callId.toString())
                                : Map.of("callId", callId.toString(), "reason", reason))
                .when()
                .post("/payments/voids");
    }

    public static Response get(Object paymentId) {
        return given().accept(ContentType.JSON).when().get("/payments/{id}", paymentId);
    }
}
