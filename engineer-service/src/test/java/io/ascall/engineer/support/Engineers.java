package io.ascall.engineer.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.ascall.apitesting.Tokens;
import io.restassured.authentication.NoAuthScheme;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.restassured.specification.RequestSpecification;

/**
 * Small helpers for talking to engineer-service in tests, each request with the token of one
 * allowed to send it: an operator registers, lists and reads; an engineer answers their offers with
 * their own account's token ({@link #act}). A test of who may do what sets the Authorization
 * header itself.
 */
public final class Engineers {

    /** The operator the tests register and read as. */
    public static final String OPERATOR_TOKEN = Tokens.operator("test-operator");

    /** The account of every engineer these helpers registered, by engineer id. */
    private static final Map<String, String> ACCOUNTS = new ConcurrentHashMap<>();

    private Engineers() {}

    /** A request sent as an operator unless it sets its own Authorization header. */
    public static RequestSpecification api() {
        return given().filter(AS_OPERATOR_UNLESS_TOLD);
    }

    public static RequestSpecification asOperator() {
        return given().auth().oauth2(OPERATOR_TOKEN);
    }

    /** A request sent as the engineer with this id: their account's token. */
    public static RequestSpecification asEngineer(String engineerId) {
        return given().auth().oauth2(tokenOf(engineerId));
    }

    /** The token of the engineer with this id (of an account no engineer has, for an id that names none). */
    public static String tokenOf(String engineerId) {
        return Tokens.engineer(accountOf(engineerId));
    }

    /**
     * The account an engineer is registered for: remembered when these helpers registered them,
     * else asked of the service as an operator. An id that names no engineer gets an account of its
     * own that no engineer has.
     */
    public static String accountOf(String engineerId) {
        return ACCOUNTS.computeIfAbsent(engineerId, id -> {
            Response engineer = asOperator().get("/engineers/" + id);
            return engineer.statusCode() == 200 ? engineer.path("accountId") : "nobody-" + id;
        });
    }

    /** An account of the identity provider that no other test uses (the token's subject). */
    public static String uniqueAccount(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** A region no other test uses: its engineers are this test's alone. */
    public static String uniqueRegion(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 18);
    }

    /** Registers an engineer, for an account of their own, and answers its id. */
    public static String register(String name, String region, String... skills) {
        return registerFor(uniqueAccount("engineer"), name, region, skills);
    }

    /** Registers an engineer for this account (the subject of their tokens) and answers its id. */
    public static String registerFor(String accountId, String name, String region, String... skills) {
        String id = asOperator()
                .contentType(ContentType.JSON)
                .body(registration(accountId, name, region, skills))
                .post("/engineers")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        ACCOUNTS.put(id, accountId);
        return id;
    }

    /** A valid registration body. */
    public static Map<String, Object> registration(String accountId, String name, String region, String... skills) {
        return Map.of("accountId", accountId, "name", name, "region", region, "skills", Arrays.asList(skills));
    }

    public static void deactivate(String engineerId) {
        asOperator().post("/engineers/" + engineerId + "/deactivate").then().statusCode(200);
    }

    public static long engineersIn(String region) {
        return asOperator()
                .queryParam("region", region)
                .get("/engineers")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("total");
    }

    /** Every offer of a call, newest first. */
    public static List<Map<String, Object>> assignmentsOf(UUID callId) {
        return asOperator()
                .queryParam("callId", callId.toString())
                .get("/assignments")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }

    /** Waits until the call has been offered {@code count} times; answers its offers, newest first. */
    public static List<Map<String, Object>> awaitOffers(UUID callId, int count) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> assignmentsOf(callId), hasSize(count));
    }

    public static JsonPath assignment(String assignmentId) {
        return asOperator()
                .get("/assignments/" + assignmentId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /**
     * An engineer's answer ({@code accept}, {@code reject}, {@code complete}) to an assignment, sent
     * as that engineer: the token of their account (an answer has no body).
     */
    public static ValidatableResponse act(String assignmentId, String action, String engineerId) {
        return asEngineer(engineerId)
                .post("/assignments/" + assignmentId + "/" + action)
                .then();
    }

    /** Adds the operator's token to a request that has no Authorization header. */
    private static final Filter AS_OPERATOR_UNLESS_TOLD = new Filter() {
        @Override
        public Response filter(
                FilterableRequestSpecification request,
                FilterableResponseSpecification response,
                FilterContext context) {
            // a token given with auth().oauth2(...) is not a header yet when filters run
            if (!request.getHeaders().hasHeaderWithName("Authorization")
                    && request.getAuthenticationScheme() instanceof NoAuthScheme) {
                request.header("Authorization", "Bearer " + OPERATOR_TOKEN);
            }
            return context.next(request, response);
        }
    };
}
