package io.ascall.engineer.rest;

import static io.ascall.apitesting.Problems.forbidden;
import static io.ascall.apitesting.Problems.problem;
import static io.ascall.apitesting.Problems.unauthorized;
import static io.ascall.engineer.support.Engineers.OPERATOR_TOKEN;
import static io.ascall.engineer.support.Engineers.assignment;
import static io.ascall.engineer.support.Engineers.assignmentsOf;
import static io.ascall.engineer.support.Engineers.awaitOffers;
import static io.ascall.engineer.support.Engineers.engineersIn;
import static io.ascall.engineer.support.Engineers.registerFor;
import static io.ascall.engineer.support.Engineers.registration;
import static io.ascall.engineer.support.Engineers.uniqueAccount;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ascall.apitesting.Tokens;
import io.ascall.engineer.support.Database;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Kafka;
import io.ascall.engineer.support.SseClient;
import io.ascall.engineer.support.TestCall;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * engineer-service's rows of the README's access table, route by route: operators register, list,
 * read and (de)activate engineers and read every assignment; an engineer reads their own record,
 * assignments and stream, and answers the offers made to them; another engineer's record,
 * assignments, stream or offer is answered as none (404); the wrong role is a 403; without a valid
 * token nothing but health answers (401 with a challenge). No refusal changes anything.
 *
 * <p>Engineer A holds an offer of a call (the only engineer of its region); engineer B works
 * elsewhere and holds nothing.
 */
@EngineerServiceTest
class AccessTest {

    private static final String CUSTOMER = Tokens.customer("access-customer");

    private final String accountA = uniqueAccount("access-a");
    private final String accountB = uniqueAccount("access-b");
    private final String tokenA = Tokens.engineer(accountA);
    private final String tokenB = Tokens.engineer(accountB);
    /** An engineer to the identity provider, whom no operator registered here. */
    private final String unregistered = Tokens.engineer(uniqueAccount("access-unregistered"));

    private String regionA;
    private String a;
    private String b;
    private TestCall call;
    private String offer;

    @BeforeEach
    void offerACallToA() {
        regionA = uniqueRegion("access");
        a = registerFor(accountA, "Access A", regionA, "WASHER");
        b = registerFor(accountB, "Access B", uniqueRegion("access-elsewhere"), "WASHER");
        call = new TestCall("WASHER", regionA).requestAndPay();
        Map<String, Object> offered = awaitOffers(call.id, 1).get(0);
        assertEquals(a, offered.get("engineerId"));
        offer = (String) offered.get("id");
        Kafka.awaitEvents(call.id, 1);
    }

    // --- POST /engineers ---

    @Test
    void operatorsAloneRegisterEngineers() {
        String region = uniqueRegion("access-register");
        as(OPERATOR_TOKEN)
                .contentType(ContentType.JSON)
                .body(registration(uniqueAccount("access-new"), "New", region, "TV"))
                .post("/engineers")
                .then()
                .statusCode(201);
        for (String token : new String[] {tokenA, CUSTOMER, unregistered}) {
            forbidden(as(token)
                    .contentType(ContentType.JSON)
                    .body(registration(uniqueAccount("access-self"), "Self", region, "TV"))
                    .post("/engineers")
                    .then());
        }
        assertEquals(1, engineersIn(region), "a refused registration registered nobody");
    }

    @Test
    void aSecondEngineerForAnAccountIsAConflict() {
        String region = uniqueRegion("access-twice");
        problem(
                        as(OPERATOR_TOKEN)
                                .contentType(ContentType.JSON)
                                .body(registration(accountA, "A again", region, "TV"))
                                .post("/engineers")
                                .then(),
                        409,
                        "conflict")
                .body("accountId", equalTo(accountA));
        assertEquals(0, engineersIn(region));
        asOperator().get("/engineers/me").then().statusCode(403);
        as(tokenA).get("/engineers/me").then().statusCode(200).body("id", equalTo(a));
    }

    // --- GET /engineers ---

    @Test
    void operatorsAloneListEngineers() {
        as(OPERATOR_TOKEN)
                .queryParam("region", regionA)
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("items.id", equalTo(List.of(a)));
        forbidden(as(tokenA).get("/engineers").then());
        forbidden(as(CUSTOMER).get("/engineers").then());
    }

    // --- GET /engineers/me ---

    @Test
    void anEngineerFindsTheirOwnRecord() {
        as(tokenA)
                .get("/engineers/me")
                .then()
                .statusCode(200)
                .body("id", equalTo(a))
                .body("accountId", equalTo(accountA));
        as(tokenB).get("/engineers/me").then().statusCode(200).body("id", equalTo(b));
        problem(as(unregistered).get("/engineers/me").then(), 404, "not-found")
                .body("detail", equalTo("No engineer is registered for this account: an operator registers you first"));
        forbidden(as(OPERATOR_TOKEN).get("/engineers/me").then());
        forbidden(as(CUSTOMER).get("/engineers/me").then());
    }

    // --- GET /engineers/{id} ---

    @Test
    void anEngineerReadsTheirOwnRecordOnly() {
        as(tokenA).get("/engineers/" + a).then().statusCode(200).body("accountId", equalTo(accountA));
        as(OPERATOR_TOKEN).get("/engineers/" + a).then().statusCode(200);
        // another engineer's record is the same 404 as no engineer at all
        String unknown = UUID.randomUUID().toString();
        assertEquals(
                detailWithout(notFound(as(tokenB).get("/engineers/" + a).then()), a),
                detailWithout(notFound(as(tokenB).get("/engineers/" + unknown).then()), unknown));
        notFound(as(unregistered).get("/engineers/" + a).then());
        forbidden(as(CUSTOMER).get("/engineers/" + a).then());
    }

    // --- GET /engineers/{id}/assignments ---

    @Test
    void anEngineerListsTheirOwnAssignmentsOnly() {
        as(tokenA)
                .get("/engineers/" + a + "/assignments")
                .then()
                .statusCode(200)
                .body("items.id", equalTo(List.of(offer)));
        as(OPERATOR_TOKEN).get("/engineers/" + a + "/assignments").then().statusCode(200);
        notFound(as(tokenB).get("/engineers/" + a + "/assignments").then());
        notFound(as(unregistered).get("/engineers/" + a + "/assignments").then());
        forbidden(as(CUSTOMER).get("/engineers/" + a + "/assignments").then());
    }

    // --- GET /engineers/{id}/assignments/stream ---

    @Test
    void anEngineerFollowsTheirOwnStreamOnly() {
        String path = "/engineers/" + a + "/assignments/stream";
        try (SseClient own = SseClient.open(path, "Authorization", "Bearer " + tokenA);
                SseClient operator = SseClient.open(path, "Authorization", "Bearer " + OPERATOR_TOKEN)) {
            assertEquals(a, own.awaitOpened().json().get("engineerId"));
            assertEquals(a, operator.awaitOpened().json().get("engineerId"));
        }
        // refused before the stream starts, as problems
        assertRefusedStream(path, tokenB, 404, "not-found");
        assertRefusedStream(path, unregistered, 404, "not-found");
        assertRefusedStream(path, CUSTOMER, 403, "forbidden");
        assertRefusedStream(path, null, 401, "unauthorized");
        assertRefusedStream(path, Tokens.expiredCustomer(accountA), 401, "unauthorized");
        // the preconditions still hold for the one who may follow it
        assertRefusedStream("/engineers/" + a + "/assignments/stream?lastEventId=-1", tokenA, 400, "validation");
    }

    // --- POST /engineers/{id}/activate, /deactivate ---

    @Test
    void operatorsAloneActivateAndDeactivate() {
        for (String token : new String[] {tokenA, tokenB, CUSTOMER}) {
            forbidden(as(token).post("/engineers/" + a + "/deactivate").then());
            forbidden(as(token).post("/engineers/" + a + "/activate").then());
        }
        as(OPERATOR_TOKEN).get("/engineers/" + a).then().body("active", equalTo(true));
        as(OPERATOR_TOKEN)
                .post("/engineers/" + b + "/deactivate")
                .then()
                .statusCode(200)
                .body("active", equalTo(false));
        as(OPERATOR_TOKEN)
                .post("/engineers/" + b + "/activate")
                .then()
                .statusCode(200)
                .body("active", equalTo(true));
    }

    // --- GET /assignments/{id}, GET /assignments?callId= ---

    @Test
    void anEngineerReadsTheOffersMadeToThemOnly() {
        as(tokenA).get("/assignments/" + offer).then().statusCode(200).body("engineerId", equalTo(a));
        as(OPERATOR_TOKEN).get("/assignments/" + offer).then().statusCode(200);
        String unknown = UUID.randomUUID().toString();
        assertEquals(
                detailWithout(notFound(as(tokenB).get("/assignments/" + offer).then()), offer),
                detailWithout(notFound(as(tokenB).get("/assignments/" + unknown).then()), unknown));
        notFound(as(unregistered).get("/assignments/" + offer).then());
        forbidden(as(CUSTOMER).get("/assignments/" + offer).then());
    }

    @Test
    void operatorsAloneListACallsOffers() {
        as(OPERATOR_TOKEN)
                .queryParam("callId", call.id.toString())
                .get("/assignments")
                .then()
                .statusCode(200)
                .body("", hasSize(1));
        for (String token : new String[] {tokenA, tokenB, CUSTOMER}) {
            forbidden(as(token)
                    .queryParam("callId", call.id.toString())
                    .get("/assignments")
                    .then());
        }
    }

    // --- POST /assignments/{id}/accept, /reject, /complete ---

    @Test
    void anotherEngineersOfferIsNoOfferToThem() {
        for (String action : new String[] {"accept", "reject", "complete"}) {
            notFound(as(tokenB).post("/assignments/" + offer + "/" + action).then());
        }
        unchanged();
        answer(tokenA, "accept").statusCode(200).body("status", equalTo("ACCEPTED"));
        notFound(as(tokenB).post("/assignments/" + offer + "/complete").then());
        assertEquals("ACCEPTED", assignment(offer).getString("status"));
        answer(tokenA, "complete").statusCode(200).body("status", equalTo("COMPLETED"));
    }

    @Test
    void anEngineerWithoutARecordAnswersNothing() {
        for (String action : new String[] {"accept", "reject", "complete"}) {
            problem(
                            as(unregistered)
                                    .post("/assignments/" + offer + "/" + action)
                                    .then(),
                            403,
                            "forbidden")
                    .body(
                            "detail",
                            equalTo("No engineer is registered for this account: an operator registers you first"));
        }
        unchanged();
    }

    @Test
    void onlyEngineersAnswerOffers() {
        for (String token : new String[] {OPERATOR_TOKEN, CUSTOMER, Tokens.user(accountA)}) {
            for (String action : new String[] {"accept", "reject", "complete"}) {
                forbidden(as(token).post("/assignments/" + offer + "/" + action).then());
            }
        }
        unchanged();
        answer(tokenA, "reject").statusCode(200).body("status", equalTo("REJECTED"));
    }

    // --- no valid token ---

    @Test
    void withoutAValidTokenOnlyHealthAnswers() {
        String[] bad = {
            null,
            Tokens.expiredCustomer(accountA),
            Tokens.forgedCustomer(accountA),
            Tokens.customerFor(accountA, "call-service"),
            "not-a-jwt"
        };
        String[][] routes = {
            {"POST", "/engineers"},
            {"GET", "/engineers"},
            {"GET", "/engineers/me"},
            {"GET", "/engineers/" + a},
            {"GET", "/engineers/" + a + "/assignments"},
            {"POST", "/engineers/" + a + "/activate"},
            {"POST", "/engineers/" + a + "/deactivate"},
            {"GET", "/assignments/" + offer},
            {"GET", "/assignments?callId=" + call.id},
            {"POST", "/assignments/" + offer + "/accept"},
            {"POST", "/assignments/" + offer + "/reject"},
            {"POST", "/assignments/" + offer + "/complete"}
        };
        for (String token : bad) {
            for (String[] route : routes) {
                RequestSpecification request =
                        token == null ? given() : given().auth().oauth2(token);
                if (route[1].equals("/engineers")) {
                    request = request.contentType(ContentType.JSON)
                            .body(registration(uniqueAccount("access-anonymous"), "Anon", regionA, "TV"));
                }
                unauthorized(request.request(route[0], route[1]).then(), token != null);
            }
        }
        unchanged();
        assertEquals(1, engineersIn(regionA), "nobody was registered");
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    // --- helpers ---

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    private static RequestSpecification asOperator() {
        return as(OPERATOR_TOKEN);
    }

    private ValidatableResponse answer(String token, String action) {
        return as(token).post("/assignments/" + offer + "/" + action).then();
    }

    /** The offer still stands as it was made: no answer reached it, nothing was published about it. */
    private void unchanged() {
        Map<String, Object> now = assignment(offer).getMap("$");
        assertEquals("OFFERED", now.get("status"));
        assertEquals(null, now.get("respondedAt"));
        assertEquals(1, assignmentsOf(call.id).size());
        assertEquals("OFFERED", Database.dispatchState(call.id));
        await().during(Duration.ofMillis(1000))
                .atMost(Duration.ofSeconds(5))
                .until(() -> Kafka.eventsOf(call.id).size(), equalTo(1));
    }

    /** A stream request refused with a problem before anything of a stream was sent. */
    private static void assertRefusedStream(String path, String token, int status, String slug) {
        String[] headers =
                token == null ? new String[] {"Authorization", ""} : new String[] {"Authorization", "Bearer " + token};
        try (SseClient refused = SseClient.open(path, headers)) {
            assertEquals(status, refused.status(), path + " " + refused.body());
            assertThat(refused.header("Content-Type"), startsWith("application/problem+json"));
            assertEquals(true, refused.body().contains("\"type\":\"urn:ascall:problem:" + slug + "\""));
            assertThrows(Throwable.class, () -> refused.awaitEvent(event -> true, Duration.ofMillis(300)));
            if (status == 401) {
                assertThat(refused.header("WWW-Authenticate"), startsWith("Bearer realm=\"ascall\""));
            }
        }
    }

    private static String notFound(ValidatableResponse response) {
        return problem(response, 404, "not-found").extract().path("detail");
    }

    private static String detailWithout(String detail, String id) {
        return detail.replace(id, "<id>");
    }

    private static <T> void assertThat(T actual, org.hamcrest.Matcher<? super T> matcher) {
        org.hamcrest.MatcherAssert.assertThat(actual, matcher);
    }
}
