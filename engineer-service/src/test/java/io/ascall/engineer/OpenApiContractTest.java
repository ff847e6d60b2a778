package io.ascall.engineer;

import static io.ascall.engineer.support.Engineers.api;
import static io.ascall.engineer.support.Engineers.registration;
import static io.ascall.engineer.support.Engineers.tokenOf;
import static io.ascall.engineer.support.Engineers.uniqueAccount;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.ascall.apitesting.ApiContract;
import io.ascall.apitesting.Tokens;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Engineers;
import io.ascall.engineer.support.SseClient;
import io.ascall.engineer.support.TestCall;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Every operation of engineer-service's OpenAPI document, exercised on the running service through
 * its answers (success, the domain's refusals, the shared errors), each answer validated against
 * the document the service serves. Fails on any undocumented status, member, type or null.
 *
 * <p>Offers are made as call-service would make them, by publishing a paid call on {@code
 * call-events} ({@link TestCall}); every offer a test makes ends answered or withdrawn, so that no
 * offer of this class expires later, under another test's feet. Requests are sent as an operator,
 * an engineer's as that engineer (their account's token).
 */
@EngineerServiceTest
class OpenApiContractTest {

    private static final String STREAM = "/engineers/{id}/assignments/stream";

    private static ApiContract contract;

    @AfterAll
    static void everyOperationConformed() {
        contract.assertConforms();
        contract.assertEveryOperationExercised();
    }

    /** Read once the service runs (RestAssured knows its port only then). */
    private static RequestSpecification client() {
        if (contract == null) {
            contract = ApiContract.ofRunningService();
        }
        return api().filter(contract);
    }

    private static Map<String, Object> registration(String name, String region, String... skills) {
        return Engineers.registration(uniqueAccount("contract"), name, region, skills);
    }

    private static String registered(String name, String region, String... skills) {
        return client().contentType(ContentType.JSON)
                .body(registration(name, region, skills))
                .post("/engineers")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A request with this engineer's token (of an account no engineer has, for an id that names none). */
    private static RequestSpecification asEngineer(String engineerId) {
        return client().auth().oauth2(tokenOf(engineerId));
    }

    /** A paid call of this region, offered to its only engineer: answers the offer. */
    private static Map<String, Object> offered(TestCall call) {
        call.requestAndPay();
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> client().queryParam("callId", call.id.toString())
                                .get("/assignments")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .<Map<String, Object>>getList("$"),
                        hasSize(1))
                .get(0);
    }

    /** An engineer's answer, sent as that engineer. */
    private static ValidatableResponse act(String assignmentId, String action, String engineerId) {
        return asEngineer(engineerId)
                .post("/assignments/" + assignmentId + "/" + action)
                .then();
    }

    private static String statusOf(String assignmentId) {
        return client().get("/assignments/" + assignmentId)
                .then()
                .statusCode(200)
                .extract()
                .path("status");
    }

    @Test
    void registeringEngineers() {
        String region = uniqueRegion("contract-register");
        Map<String, Object> kim = registration("Kim", region, "WASHER", "DRYER");
        client().contentType(ContentType.JSON)
                .body(kim)
                .post("/engineers")
                .then()
                .statusCode(201)
                .header("Location", startsWith("/engineers/"));
        client().contentType(ContentType.JSON)
                .body(kim)
                .post("/engineers")
                .then()
                .statusCode(409);
        client().contentType(ContentType.JSON)
                .body(Engineers.registration("with space", "Kim", region, "WASHER"))
                .post("/engineers")
                .then()
                .statusCode(400);
        client().contentType(ContentType.JSON)
                .body(registration(" ", region, "WASHER"))
                .post("/engineers")
                .then()
                .statusCode(400);
        client().contentType(ContentType.JSON)
                .body(Map.of("accountId", uniqueAccount("contract"), "name", "Kim", "region", region))
                .post("/engineers")
                .then()
                .statusCode(400);
        client().contentType(ContentType.JSON)
                .body(registration("Kim", region))
                .post("/engineers")
                .then()
                .statusCode(400);
        client().contentType(ContentType.JSON)
                .body(registration("Kim", region, "WASHER", "WASHER"))
                .post("/engineers")
                .then()
                .statusCode(400);
        client().contentType(ContentType.JSON)
                .body(registration("Kim", region, "LAWNMOWER"))
                .post("/engineers")
                .then()
                .statusCode(400);
        client().contentType(ContentType.JSON)
                .body("{\"name\":\"Kim\",")
                .post("/engineers")
                .then()
                .statusCode(400);
        client().contentType(ContentType.TEXT)
                .body("{}")
                .post("/engineers")
                .then()
                .statusCode(415);
        assertEquals(
                1,
                client().queryParam("region", region)
                        .get("/engineers")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getInt("total"),
                "only the valid registration registered an engineer");
    }

    @Test
    void readingEngineers() {
        String region = uniqueRegion("contract-read");
        String id = registered("Lee", region, "TV");
        registered("Moon", region, "OVEN", "TV");
        client().get("/engineers/" + id).then().statusCode(200).body("id", equalTo(id));
        asEngineer(id).get("/engineers/" + id).then().statusCode(200).body("id", equalTo(id));
        asEngineer(id).get("/engineers/me").then().statusCode(200).body("id", equalTo(id));
        client().auth()
                .oauth2(Tokens.engineer(uniqueAccount("contract-unregistered")))
                .get("/engineers/me")
                .then()
                .statusCode(404);
        client().get("/engineers/" + UUID.randomUUID()).then().statusCode(404);
        client().get("/engineers/not-a-uuid").then().statusCode(404);
        client().queryParam("region", region)
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("total", equalTo(2));
        client().queryParam("region", region)
                .queryParam("skill", "OVEN")
                .queryParam("size", 1)
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("total", equalTo(1));
        client().queryParam("size", 1)
                .queryParam("page", 2)
                .get("/engineers")
                .then()
                .statusCode(200);
        client().queryParam("skill", "LAWNMOWER").get("/engineers").then().statusCode(400);
        client().queryParam("page", -1).get("/engineers").then().statusCode(400);
        client().queryParam("size", 101).get("/engineers").then().statusCode(400);
        client().queryParam("size", "many").get("/engineers").then().statusCode(400);

        client().get("/engineers/" + id + "/assignments").then().statusCode(200).body("items", hasSize(0));
        client().queryParam("page", 3)
                .queryParam("size", 5)
                .get("/engineers/" + id + "/assignments")
                .then()
                .statusCode(200);
        client().get("/engineers/" + UUID.randomUUID() + "/assignments").then().statusCode(404);
        client().get("/engineers/not-a-uuid/assignments").then().statusCode(404);
        client().queryParam("size", 0)
                .get("/engineers/" + id + "/assignments")
                .then()
                .statusCode(400);
        client().queryParam("page", "first")
                .get("/engineers/" + id + "/assignments")
                .then()
                .statusCode(400);
    }

    @Test
    void deactivatingAndActivatingEngineers() {
        String id = registered("Nam", uniqueRegion("contract-active"), "MICROWAVE");
        client().post("/engineers/" + id + "/deactivate").then().statusCode(200).body("active", equalTo(false));
        client().post("/engineers/" + id + "/deactivate").then().statusCode(200).body("active", equalTo(false));
        client().post("/engineers/" + id + "/activate").then().statusCode(200).body("active", equalTo(true));
        client().post("/engineers/" + id + "/activate").then().statusCode(200).body("active", equalTo(true));
        client().post("/engineers/" + UUID.randomUUID() + "/deactivate").then().statusCode(404);
        client().post("/engineers/" + UUID.randomUUID() + "/activate").then().statusCode(404);
        client().post("/engineers/not-a-uuid/deactivate").then().statusCode(404);
        client().post("/engineers/not-a-uuid/activate").then().statusCode(404);
    }

    @Test
    void acceptingAndCompletingAnOffer() {
        String region = uniqueRegion("contract-accept");
        String engineer = registered("Oh", region, "WASHER");
        String someoneElse = registered("Pyo", uniqueRegion("contract-elsewhere"), "WASHER");
        TestCall call = new TestCall("WASHER", region);
        Map<String, Object> offer = offered(call);
        String id = (String) offer.get("id");
        assertEquals(engineer, offer.get("engineerId"));

        client().get("/assignments/" + id).then().statusCode(200).body("status", equalTo("OFFERED"));
        client().get("/engineers/" + engineer + "/assignments")
                .then()
                .statusCode(200)
                .body("items", hasSize(1));
        act(id, "complete", engineer).statusCode(409);
        act(id, "accept", someoneElse).statusCode(404);
        act(id, "accept", UUID.randomUUID().toString()).statusCode(403);
        act(id, "reject", someoneElse).statusCode(404);
        asEngineer(someoneElse).get("/assignments/" + id).then().statusCode(404);
        asEngineer(engineer).get("/assignments/" + id).then().statusCode(200);

        act(id, "accept", engineer).statusCode(200).body("status", equalTo("ACCEPTED"));
        act(id, "accept", engineer).statusCode(200).body("status", equalTo("ACCEPTED"));
        client().get("/assignments/" + id).then().statusCode(200).body("status", equalTo("ACCEPTED"));
        act(id, "reject", engineer).statusCode(409);
        act(id, "complete", someoneElse).statusCode(404);

        act(id, "complete", engineer).statusCode(200).body("status", equalTo("COMPLETED"));
        act(id, "complete", engineer).statusCode(200).body("status", equalTo("COMPLETED"));
        client().get("/assignments/" + id).then().statusCode(200).body("status", equalTo("COMPLETED"));
        act(id, "accept", engineer).statusCode(409);
        act(id, "reject", engineer).statusCode(409);
        client().queryParam("callId", call.id.toString())
                .get("/assignments")
                .then()
                .statusCode(200)
                .body("[0].status", equalTo("COMPLETED"));
        client().get("/engineers/" + engineer + "/assignments")
                .then()
                .statusCode(200)
                .body("items[0].status", equalTo("COMPLETED"));
    }

    @Test
    void rejectingAnOffer() {
        String region = uniqueRegion("contract-reject");
        String engineer = registered("Ryu", region, "DRYER");
        String someoneElse = registered("Seo", uniqueRegion("contract-elsewhere"), "DRYER");
        Map<String, Object> offer = offered(new TestCall("DRYER", region));
        String id = (String) offer.get("id");

        act(id, "reject", someoneElse).statusCode(404);
        // nobody else in the region: the call is reported as having no engineer, nothing stays offered
        act(id, "reject", engineer).statusCode(200).body("status", equalTo("REJECTED"));
        act(id, "reject", engineer).statusCode(200).body("status", equalTo("REJECTED"));
        act(id, "accept", engineer).statusCode(409);
        act(id, "complete", engineer).statusCode(409);
        client().get("/assignments/" + id).then().statusCode(200).body("status", equalTo("REJECTED"));
    }

    @Test
    void answeringAWithdrawnOffer() {
        String region = uniqueRegion("contract-withdrawn");
        String engineer = registered("Tak", region, "OVEN");
        TestCall call = new TestCall("OVEN", region);
        String id = (String) offered(call).get("id");
        call.send(call.cancelled("CUSTOMER"));
        await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(id), equalTo("WITHDRAWN"));

        act(id, "accept", engineer).statusCode(409);
        act(id, "reject", engineer).statusCode(409);
        act(id, "complete", engineer).statusCode(409);
    }

    @Test
    void unknownAssignmentsAndBadAnswers() {
        String unknown = UUID.randomUUID().toString();
        String engineer = registered("Vin", uniqueRegion("contract-unknown"), "TV");
        client().get("/assignments/" + unknown).then().statusCode(404);
        client().get("/assignments/not-a-uuid").then().statusCode(404);
        for (String action : new String[] {"accept", "reject", "complete"}) {
            act(unknown, action, engineer).statusCode(404);
            act("not-a-uuid", action, engineer).statusCode(404);
            // an answer has no body: one sent is not read, whatever it holds
            asEngineer(engineer)
                    .contentType(ContentType.JSON)
                    .body("{\"engineerId\":")
                    .post("/assignments/" + unknown + "/" + action)
                    .then()
                    .statusCode(404);
        }
        client().get("/assignments").then().statusCode(400);
        client().queryParam("callId", "nope").get("/assignments").then().statusCode(400);
        client().queryParam("callId", unknown)
                .get("/assignments")
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void streamsRefusedBeforeTheyStart() {
        String engineer = registered("Uhm", uniqueRegion("contract-stream"), "TV");
        String path = "/engineers/" + engineer + "/assignments/stream";
        client().accept("text/event-stream")
                .get("/engineers/" + UUID.randomUUID() + "/assignments/stream")
                .then()
                .statusCode(404);
        client().accept("text/event-stream")
                .get("/engineers/not-a-uuid/assignments/stream")
                .then()
                .statusCode(404);
        client().auth()
                .oauth2(Tokens.engineer(uniqueAccount("contract-stranger")))
                .accept("text/event-stream")
                .get(path)
                .then()
                .statusCode(404);
        client().accept("text/event-stream")
                .header("Last-Event-ID", "yesterday")
                .get(path)
                .then()
                .statusCode(400);
        client().accept("text/event-stream")
                .header("Last-Event-ID", "-1")
                .get(path)
                .then()
                .statusCode(400);
        client().accept("text/event-stream")
                .queryParam("lastEventId", "-1")
                .get(path)
                .then()
                .statusCode(400);
    }

    /**
     * A stream that starts never ends, so RestAssured cannot read it: {@link SseClient} does, and the
     * operation's success is marked exercised by hand once its answer and first event are as
     * documented (200, {@code text/event-stream}, {@code Cache-Control: no-store}, a {@code
     * stream-opened} whose data is a {@code StreamOpened}).
     */
    @Test
    void aStreamThatStarts() {
        client(); // the contract, read before the stream is marked
        String engineer = registered("Wi", uniqueRegion("contract-stream"), "TV");
        try (SseClient stream = SseClient.open("/engineers/" + engineer + "/assignments/stream")) {
            assertEquals(200, stream.status());
            assertThat(stream.header("Content-Type"), startsWith("text/event-stream"));
            assertEquals("no-store", stream.header("Cache-Control"));
            SseClient.Event opened = stream.awaitOpened();
            assertEquals(Map.of("engineerId", engineer, "lastEventId", 0), opened.json());
            assertEquals("0", opened.id());
        }
        try (SseClient resumed =
                SseClient.open("/engineers/" + engineer + "/assignments/stream", "Last-Event-ID", "5")) {
            assertEquals(200, resumed.status());
            assertEquals(engineer, resumed.awaitOpened().json().get("engineerId"));
        }
        contract.exercised("GET", STREAM);
    }

    /** The engineer console's settings, read before anyone has logged in: no token. */
    @Test
    void readingTheConsoleConfig() {
        client().header("Authorization", "").get("/console/config").then().statusCode(200);
    }

    @Test
    void refusingCallersWithoutTheRightToken() {
        String engineer = registered("Xu", uniqueRegion("contract-refused"), "WASHER");
        String assignment = UUID.randomUUID().toString();
        String customer = Tokens.customer("contract-customer");
        String[][] operations = {
            {"POST", "/engineers"},
            {"GET", "/engineers"},
            {"GET", "/engineers/me"},
            {"GET", "/engineers/" + engineer},
            {"GET", "/engineers/" + engineer + "/assignments"},
            {"POST", "/engineers/" + engineer + "/activate"},
            {"POST", "/engineers/" + engineer + "/deactivate"},
            {"GET", "/assignments/" + assignment},
            {"GET", "/assignments?callId=" + assignment},
            {"POST", "/assignments/" + assignment + "/accept"},
            {"POST", "/assignments/" + assignment + "/reject"},
            {"POST", "/assignments/" + assignment + "/complete"},
            {"GET", "/engineers/" + engineer + "/assignments/stream"}
        };
        for (String[] operation : operations) {
            refused(client().header("Authorization", ""), operation).statusCode(401);
            refused(client().auth().oauth2(customer), operation).statusCode(403);
        }
        // the wrong role of the two that get in: an operator answers no offer, an engineer registers nobody
        refused(client().auth().oauth2(Engineers.OPERATOR_TOKEN), operations[9]).statusCode(403);
        refused(client().auth().oauth2(tokenOf(engineer)), operations[0]).statusCode(403);
        refused(client().auth().oauth2(Engineers.OPERATOR_TOKEN), operations[2]).statusCode(403);
    }

    private static ValidatableResponse refused(RequestSpecification request, String[] operation) {
        if (operation[0].equals("POST") && operation[1].equals("/engineers")) {
            request = request.contentType(ContentType.JSON).body(registration("Nobody", "nowhere", "TV"));
        }
        if (operation[1].endsWith("/stream")) {
            request = request.accept("text/event-stream");
        }
        return request.request(operation[0], operation[1]).then();
    }
}
