package io.ascall.payment;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.ascall.apitesting.TestIssuer;
import io.ascall.apitesting.Tokens;
import io.ascall.security.Roles;
import io.restassured.filter.Filter;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The API calls the tests make, and fresh ids so that tests never see each other's data. */
public final class PaymentsApi {

    private PaymentsApi() {}

    /** call-service's own client identity: the only one that charges and voids. */
    public static final String CALL_SERVICE_TOKEN =
            Tokens.service(TestIssuer.CALLER, "payment-service", Roles.PAYMENT_WRITER);

    /** An operator, who alone looks payments up. */
    public static final String OPERATOR_TOKEN = Tokens.operator("olivia-operator");

    /**
     * Sends a request that has no Authorization header as its rightful caller would: a POST as
     * call-service, a GET as an operator.
     */
    public static final Filter AS_ITS_CALLER = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header(
                    "Authorization",
                    "Bearer " + (request.getMethod().equals("POST") ? CALL_SERVICE_TOKEN : OPERATOR_TOKEN));
        }
        return context.next(request, response);
    };

    public static RequestSpecification asCallService() {
        return given().auth().oauth2(CALL_SERVICE_TOKEN);
    }

    public static RequestSpecification asOperator() {
        return given().auth().oauth2(OPERATOR_TOKEN);
    }

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
        return asCallService().contentType(ContentType.JSON).body(body).when().post("/payments");
    }

    public static Response pay(UUID callId, String customerId, long amount) {
        return pay(order(callId, customerId, amount));
    }

    public static Response voidCall(UUID callId, String reason) {
        return asCallService()
                .contentType(ContentType.JSON)
                .body(
                        reason == null
                                ? Map.of("callId", callId.toString())
                                : Map.of("callId", callId.toString(), "reason", reason))
                .when()
                .post("/payments/voids");
    }

    public static Response get(Object paymentId) {
        return asOperator().accept(ContentType.JSON).when().get("/payments/{id}", paymentId);
    }
}
