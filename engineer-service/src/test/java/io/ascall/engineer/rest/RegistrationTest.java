package io.ascall.engineer.rest;

import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static io.ascall.engineer.support.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
        String location = given().contentType(ContentType.JSON)
                .body(Map.of("name", "Kim Min-jun", "region", region, "skills", List.of("TV", "WASHER")))
                .post("/engineers")
                .then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", notNullValue())
                .body("id", notNullValue())
                .body("name", equalTo("Kim Min-jun"))
                .body("region", equalTo(region))
                .body("skills", contains("WASHER", "TV"))
                .body("active", equalTo(true))
                .body("registeredAt", notNullValue())
                .extract()
                .header("Location");

        String id = given().get(location)
                .then()
                .statusCode(200)
                .body("name", equalTo("Kim Min-jun"))
                .body("skills", contains("WASHER", "TV"))
                .extract()
                .path("id");
        assertEquals("/engineers/" + id, location);
    }

    @Test
    void listsByRegionAndSkillInPages() {
        String region = uniqueRegion("busan");
        String other = uniqueRegion("busan");
        register("Choi", region, "WASHER");
        register("Ahn", region, "WASHER", "DRYER");
        register("Bae", region, "OVEN");
        register("Ahn", other, "WASHER");

        given().queryParam("region", region)
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("items.name", contains("Ahn", "Bae", "Choi"));
        given().queryParam("region", region)
                .queryParam("skill", "WASHER")
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.name", contains("Ahn", "Choi"));
        given().queryParam("region", region)
                .queryParam("size", 2)
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("items.name", contains("Ahn", "Bae"));
        given().queryParam("region", region)
                .queryParam("size", 2)
                .queryParam("page", 1)
                .get("/engineers")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("page", equalTo(1))
                .body("items.name", contains("Choi"));
        given().queryParam("region", region)
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
        given().get("/engineers/" + id + "/assignments")
                .then()
                .statusCode(200)
                .body("total", equalTo(0))
                .body("items", empty());
    }

    @Test
    void deactivatesAndActivatesIdempotently() {
        String id = register("Yoon", uniqueRegion("daegu"), "TV");
        given().post("/engineers/" + id + "/deactivate").then().statusCode(200).body("active", equalTo(false));
        given().post("/engineers/" + id + "/deactivate").then().statusCode(200).body("active", equalTo(false));
        given().get("/engineers/" + id).then().statusCode(200).body("active", equalTo(false));
        given().post("/engineers/" + id + "/activate").then().statusCode(200).body("active", equalTo(true));
        given().post("/engineers/" + id + "/activate").then().statusCode(200).body("active", equalTo(true));
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
                    CompletableFuture.supplyAsync(() -> given().post("/engineers/" + id + "/deactivate"));
            Thread.sleep(1_500);
            assertFalse(deactivate.isDone(), "the deactivation waits for the change in progress");
            other.commit();
            Response answer = deactivate.get(20, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.asString());
        }
        given().get("/engineers/" + id).then().statusCode(200).body("active", equalTo(false));
    }

    @Test
    void unknownEngineer() {
        String unknown = UUID.randomUUID().toString();
        problem(given().get("/engineers/" + unknown).then(), 404, "not-found")
                .body("instance", equalTo("/engineers/" + unknown));
        problem(given().get("/engineers/not-a-uuid").then(), 404, "not-found");
        problem(given().get("/engineers/" + unknown + "/assignments").then(), 404, "not-found");
        problem(given().get("/engineers/not-a-uuid/assignments").then(), 404, "not-found");
        problem(given().post("/engineers/" + unknown + "/deactivate").then(), 404, "not-found");
        problem(given().post("/engineers/" + unknown + "/activate").then(), 404, "not-found")
                .body("detail", endsWith(unknown));
    }
}
