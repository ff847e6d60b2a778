package io.ascall.call.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.ascall.apitesting.Tokens;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.restassured.specification.RequestSpecification;

/** Small helpers for talking to call-service and payment-service in tests. */
public final class Calls {

    /** The operator the tests read as. */
    public static final String OPERATOR_TOKEN = Tokens.operator("test-operator");
    /** Whose calls are made without saying whose (a body without customerId). */
    public static final String SOME_CUSTOMER = "test-customer";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Calls() {}

    /**
     * A request to call-service sent as its rightful caller when it names none (no Authorization
     * header): see {@link #AS_ITS_CALLER}. A test of who may do what sets the header itself.
     */
    public static RequestSpecification api() {
        return given().filter(AS_ITS_CALLER);
    }

    public static RequestSpecification asCustomer(String customerId) {
        return given().auth().oauth2(Tokens.customer(customerId));
    }

    public static RequestSpecification asOperator() {
        return given().auth().oauth2(OPERATOR_TOKEN);
    }

    /**
     * Sends a request without an Authorization header as the one allowed to send it would: a new
     * call as the customer its body's {@code customerId} names (the member is taken out of the body:
     * the service reads the customer from the token), a cancellation as the call's own customer
     * (asked of the service as an operator), anything else as an operator.
     */
    public static final Filter AS_ITS_CALLER = new Filter() {
        @Override
        public Response filter(
                FilterableRequestSpecification request,
                FilterableResponseSpecification response,
                FilterContext context) {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                String path = request.getDerivedPath();
                String token = OPERATOR_TOKEN;
                if (request.getMethod().equals("POST") && path.equals("/calls")) {
                    token = Tokens.customer(customerOfBody(request));
                } else if (request.getMethod().equals("POST") && path.endsWith("/cancel")) {
                    token = Tokens.customer(ownerOf(path.substring(0, path.length() - "/cancel".length())));
                }
                request.header("Authorization", "Bearer " + token);
            }
            return context.next(request, response);
        }
    };

    private static String customerOfBody(FilterableRequestSpecification request) {
        Object body = request.getBody();
        if (!(body instanceof String text)) {
            return SOME_CUSTOMER;
        }
        try {
            if (JSON.readTree(text) instanceof ObjectNode call
                    && call.path("customerId").isTextual()) {
                String customer = call.remove("customerId").asText();
                request.body(JSON.writeValueAsString(call));
                return customer;
            }
        } catch (JsonProcessingException e) {
            // a malformed body, sent on purpose: whoever sends it
        }
        return SOME_CUSTOMER;
    }

    private static String ownerOf(String callPath) {
        Response call = asOperator().get(callPath);
        return call.statusCode() == 200 ? call.path("customerId") : SOME_CUSTOMER;
    }

    /**
     * A valid request body for a customer no other test uses. The customerId member says whose
     * call it is to {@link #AS_ITS_CALLER}, which sends it as that customer's token instead.
     */
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
        return api().contentType(ContentType.JSON).body(body).post("/calls");
    }

    public static Response post(Map<String, Object> body, String idempotencyKey) {
        return api().contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(body)
                .post("/calls");
    }

    public static long callsOf(String customerId) {
        return asOperator()
                .queryParam("customerId", customerId)
                .get("/calls")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("total");
    }

    /** payment-service's own record of the payments for a call (0 or 1), asked directly. */
    public static List<Map<String, Object>> paymentsOf(String callId) {
        return asOperator()
                .baseUri("http://127.0.0.1")
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
