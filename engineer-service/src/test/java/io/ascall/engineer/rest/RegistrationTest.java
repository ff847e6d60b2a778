package io.ascall.engineer.rest;

import static io.ascall.engineer.support.Engineers.api;
import static io.ascall.engineer.support.Engineers.engineersIn;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.registerFor;
import static io.ascall.engineer.support.Engineers.registration;
import static io.ascall.engineer.support.Engineers.uniqueAccount;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static io.ascall.engineer.support.Problems.problem;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.ascall.engineer.support.Database;
import io.ascall.engineer.support.EngineerServiceTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Registering engineers, looking them up and finding them by region and skill. */
@EngineerServiceTest
class RegistrationTest {

    @Test
    void registersAnEngineer() {
        String region = uniqueRegion("seoul");
        String account = uniqueAccount("kim");
        String location = api().contentType(ContentType.JSON)
                .body(registration(account, "Kim Min-jun", region, "TV", "WASHER"))
                .post("/engineers")
                .then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", notNullValue())
                .body("id", notNullValue())
                .body("accountId", equalTo(account))
                .body("name", equalTo("Kim Min-jun"))
                .body("region", equalTo(region))
                .body("skills", contains("WASHER", "TV"))
                .body("active", equalTo(true))
                .body("registeredAt", notNullValue())
                .extract()
                .header("Location");

        String id = api().get(location)
                .then()
                .statusCode(200)
                .body("name", equalTo("Kim Min-jun"))
                .body("skills", contains("WASHER", "TV"))
                .body("accountId", equalTo(account))
                .extract()
                .path("id");
        assertEquals("/engineers/" + id, location);
    }

    @Test
    void oneEngineerPerAccount() {
        String region = uniqueRegion("gwangju");
        String account = uniqueAccount("twice");
        String first = registerFor(account, "Kang", region, "TV");
        problem(
                        api().contentType(ContentType.JSON)
                                .body(registration(account, "Kang again", region, "OVEN"))
                                .post("/engineers")
                                .then(),
                        409,
                        "conflict")
                .body("accountId", equalTo(account))
                .body("detail", containsString(account));
        assertEquals(1, engineersIn(region), "the second registration wrote nothing");
        api().get("/engineers/" + first).then().statusCode(200).body("name", equalTo("Kang"));
        // the same account in another letter case is another account (subjects are compared exactly)
        registerFor(account.toUpperCase(), "Kang", region, "TV");
    }

    /**
     * Registrations for one account at the same moment: each checks nothing first, the unique
     * constraint alone decides, so exactly one is registered and every other is a 409 (not a 500).
     */
    @Test
    void concurrentRegistrationsForOneAccountRegisterOne() {
        String region = uniqueRegion("jeonju");
        String account = uniqueAccount("racing");
        List<CompletableFuture<Integer>> answers = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> api().contentType(ContentType.JSON)
                        .body(registration(account, "Racer " + i, region, "WASHER"))
                        .post("/engineers")
                        .statusCode()))
                .toList();
        List<Integer> statuses =
                answers.stream().map(CompletableFuture::join).sorted().toList();
        assertEquals(List.of(201, 409, 409, 409, 409, 409), statuses);
        assertEquals(1, engineersIn(region));
    }

    @Test
    void listsByRegionAndSkillInPages() {
        String region = uniqueRegion("busan");
        String other = uniqueRegion("busan");
        register("Choi", region, "WASHER");
        register("Ahn", region, "WASHER", "DRYER");
        register("Bae", region, "OVEN");
        register("Ahn", other, "WASHER");

        api().queryParam("region", region)
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("items.name", contains("Ahn", "Bae", "Choi"));
        api().queryParam("region", region)
                .queryParam("skill", "WASHER")
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.name", contains("Ahn", "Choi"));
        api().queryParam("region", region)
                .queryParam("size", 2)
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("items.name", contains("Ahn", "Bae"));
        api().queryParam("region", region)
                .queryParam("size", 2)
                .queryParam("page", 1)
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("page", equalTo(1))
                .body("items.name", contains("Choi"));
        api().queryParam("region", region)
                .queryParam("skill", "TV")
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("total", equalTo(0))
                .body("items", empty());
    }

    @Test
    void aNewEngineerHasNoAssignments() {
        String id = register("Jung", uniqueRegion("incheon"), "DRYER");
        api().get("/engineers/" + id + "/assignments")
                .then()
                .statusCode(200)
                .body("total", equalTo(0))
                .body("items", empty());
    }

    @Test
    void deactivatesAndActivatesIdempotently() {
        String id = register("Yoon", uniqueRegion("daegu"), "TV");
        api().post("/engineers/" + id + "/deactivate").then().statusCode(200).body("active", equalTo(false));
        api().post("/engineers/" + id + "/deactivate").then().statusCode(200).body("active", equalTo(false));
        api().get("/engineers/" + id).then().statusCode(200).body("active", equalTo(false));
        api().post("/engineers/" + id + "/activate").then().statusCode(200).body("active", equalTo(true));
        api().post("/engineers/" + id + "/activate").then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void aDeactivationWhileAnotherChangeIsCommittingWaitsForItAndSucceeds() throws Exception {
        String id = register("Gu", uniqueRegion("ulsan"), "TV");
        try (Connection other = Database.connect()) {
            other.setAutoCommit(false);
            try (var change = other.prepareStatement("update engineer set version = version + 1 where id = ?")) {
                change.setObject(1, UUID.fromString(id));
                assertEquals(1, change.executeUpdate());
            }
            CompletableFuture<Response> deactivate =
                    CompletableFuture.supplyAsync(() -> api().post("/engineers/" + id + "/deactivate"));
            Thread.sleep(1_500);
            assertFalse(deactivate.isDone(), "the deactivation waits for the change in progress");
            other.commit();
            Response answer = deactivate.get(20, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.asString());
        }
        api().get("/engineers/" + id).then().statusCode(200).body("active", equalTo(false));
    }

    @Test
    void unknownEngineer() {
        String unknown = UUID.randomUUID().toString();
        problem(api().get("/engineers/" + unknown).then(), 404, "not-found")
                .body("instance", equalTo("/engineers/" + unknown));
        problem(api().get("/engineers/not-a-uuid").then(), 404, "not-found");
        problem(api().get("/engineers/" + unknown + "/assignments").then(), 404, "not-found");
        problem(api().get("/engineers/not-a-uuid/assignments").then(), 404, "not-found");
        problem(api().post("/engineers/" + unknown + "/deactivate").then(), 404, "not-found");
        problem(api().post("/engineers/" + unknown + "/activate").then(), 404, "not-found")
                .body("detail", endsWith(unknown));
    }
}
